package io.indicativegateway.config;

/** The ingestion side: the HTTP listener, request limits and the event-bus address. */
public record IngestSettings(
    HttpSettings http,
    LimitSettings limits,
    String eventBusAddress,
    long eventBusReplyTimeoutMs) {}
