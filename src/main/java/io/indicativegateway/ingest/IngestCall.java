package io.indicativegateway.ingest;

import io.indicativegateway.config.Source;
import io.vertx.core.json.JsonObject;

/**
 * One authenticated call to ingest, from HTTP or the event bus.
 *
 * @param batch whether the body is an envelope with a {@code batch} array
 * @param pathType the call type the endpoint sets, or null when the message's own {@code type} says it
 * @param body the parsed body: one message, or an envelope with a {@code batch} array
 * @param raw where each message lies in the body as received (one span per batch element, or one for a single
 *     call), or null when the transport has no bytes (event bus): then ingestion measures by serializing
 * @param transport {@code http} or {@code eventbus}, for metrics
 * @param origin the device the request came from (client address, browser user agent), or null when the transport
 *     knows none (event bus)
 */
public record IngestCall(Source source, boolean batch, String pathType, JsonObject body, RawSpans raw,
                         long receivedAtMillis, String transport, RequestOrigin origin) {

  public IngestCall(Source source, boolean batch, String pathType, JsonObject body, RawSpans raw,
                    long receivedAtMillis, String transport) {
    this(source, batch, pathType, body, raw, receivedAtMillis, transport, null);
  }
}
