package io.indicativegateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded store.
 *
 * @param maxBytes bytes of undelivered and undeliverable messages the store may hold before ingestion answers 503
 * @param maxRejectedBytes bytes of messages refused at ingestion kept for inspection; the oldest go first
 * @param writeQueueCapacity requests waiting for the next group commit before ingestion answers 503
 * @param maxGroupBytes bytes one group commit may carry, so a single sync stays short
 * @param retryAfterSeconds what a 503 tells clients to wait
 * @param dedupWindow how long an accepted (writeKey, messageId) is remembered
 */
public record StoreSettings(
    Path dataDir,
    long maxBytes,
    long maxRejectedBytes,
    int writeQueueCapacity,
    long maxGroupBytes,
    int retryAfterSeconds,
    Duration dedupWindow) {}
