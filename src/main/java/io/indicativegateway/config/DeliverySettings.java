package io.indicativegateway.config;

import java.time.Duration;

/**
 * Delivery to Indicative.
 *
 * @param chunkMaxRecords stored messages one project reads from the store at a time
 * @param chunkMaxBytes bytes of stored messages one project reads at a time
 * @param maxInFlightPerProject requests to Indicative one project may have open at once, of the
 *     {@code maxInFlightRequests} all share: a project whose requests hang cannot take every one
 * @param maxChunksPerProject chunks a project may have in flight at once
 * @param maxBufferedBytes bytes of stored messages all projects together may hold in memory
 */
public record DeliverySettings(
    String indicativeUrl,
    int maxEventsPerBatch,
    int maxBatchBytes,
    long lingerMs,
    int maxInFlightRequests,
    int maxInFlightPerProject,
    int connectionPoolSize,
    long requestTimeoutMs,
    long connectTimeoutMs,
    long retryBaseMs,
    long retryCapMs,
    Duration maxRetryAge,
    int breakerMaxFailures,
    long breakerResetTimeoutMs,
    int chunkMaxRecords,
    int chunkMaxBytes,
    int maxChunksPerProject,
    long maxBufferedBytes,
    long shutdownGraceMs) {}
