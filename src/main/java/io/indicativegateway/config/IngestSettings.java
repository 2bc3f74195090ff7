package io.indicativegateway.config;

/** The ingestion side: HTTP listener, request limits and the event-bus address. */
public record IngestSettings(
    String host,
    int port,
    int instances,
    int idleTimeoutSeconds,
    int maxMessageBytes,
    int maxBatchBytes,
    int maxBatchMessages,
    String eventBusAddress,
    long eventBusReplyTimeoutMs) {}
