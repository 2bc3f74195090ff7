package io.indicativegateway.store;

/** A validated message to store: its id for the dedup ledger and its enriched JSON. */
public record IncomingMessage(String messageId, byte[] json) {}
