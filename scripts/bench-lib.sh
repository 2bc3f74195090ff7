#!/usr/bin/env bash
# Shared by bench.sh and profile.sh (sourced, not run): a work directory removed on exit, every process started
# through PIDS stopped on exit, and wait_for URL.
set -euo pipefail

WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # until URL answers 2xx, at most 60 s; on failure shows the logs before cleanup removes them
  for _ in $(seq 1 120); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "not up: $1" >&2
  tail -n 20 "$WORK"/*.log >&2 2>/dev/null || true
  return 1
}
