package io.indicativegateway.ingest;

import io.indicativegateway.config.Source;
import io.vertx.core.json.JsonObject;

/**
 * One authenticated call to ingest, from HTTP or the event bus.
 *
 * @param batch whether the body is an envelope with a {@code batch} array
 * @param pathType the call type the endpoint sets, or null when the message's own {@code type} says it
 * @param body the parsed body: one message, or an envelope with a {@code batch} array
 * @param measuredBytes the size of each message as received when the transport measured it (one per batch
 *     element, or one for a single call), else null and ingestion measures it
 * @param transport {@code http} or {@code eventbus}, for metrics
 */
public record IngestCall(Source source, boolean batch, String pathType, JsonObject body, int[] measuredBytes,
                         long receivedAtMillis, String transport) {
}
