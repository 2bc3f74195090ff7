package io.indicativegateway.config;

/**
 * The ingestion side: the HTTP listener, request limits and the event-bus address.
 *
 * @param eventBusReplyTimeoutMs how long a request through the TCP bridge waits for its reply when its frame sets
 *     no {@code timeout} header (JVM producers set their own send timeout)
 */
public record IngestSettings(
    HttpSettings http,
    LimitSettings limits,
    String eventBusAddress,
    long eventBusReplyTimeoutMs) {}
