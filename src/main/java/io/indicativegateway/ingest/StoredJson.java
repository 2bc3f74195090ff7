package io.indicativegateway.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The bytes stored for an accepted message: the enriched message as JSON.
 *
 * <p>Serializing every message again costs as much as parsing it, so when enrichment only set top-level fields
 * the client's own bytes are kept and the changed fields appended before the closing brace
 * ({@code {...,"receivedAt":"...","messageId":"..."}}). A JSON object read back keeps the last value of a
 * repeated key, so the appended values win. What the request fills into the client's own {@code context}
 * ({@code ip}, {@code userAgent}) is spliced into that object's bytes ({@link ContextSplice}). Only when a
 * batch-level object had to be merged into the message's own is the message serialized again.
 */
final class StoredJson {

  private StoredJson() {}

  /**
   * @param raw where the message lies in the request body, or null (event bus): serialize it
   * @param changes the flags {@link MessageEnricher#enrich} returned
   */
  static byte[] of(JsonObject message, RawSpans raw, int index, int changes) {
    if (raw != null && ContextSplice.needed(changes)) {
      return ContextSplice.store(message, raw, index, changes);
    }
    if (raw == null || (changes & MessageEnricher.MERGED_DEEP) != 0) {
      return message.toBuffer().getBytes();
    }
    JsonObject appended = new JsonObject()
        .put("type", message.getValue("type"))
        .put("messageId", message.getValue("messageId"))
        .put("receivedAt", message.getValue("receivedAt"));
    if (message.getValue("event") != null) {
      appended.put("event", message.getValue("event")); // normalized to a string
    }
    if ((changes & MessageEnricher.REMOVED_WRITE_KEY) != 0) {
      appended.putNull("writeKey");
    }
    if ((changes & MessageEnricher.ADDED_CONTEXT) != 0) {
      appended.put("context", message.getValue("context"));
    }
    if ((changes & MessageEnricher.ADDED_INTEGRATIONS) != 0) {
      appended.put("integrations", message.getValue("integrations"));
    }
    if ((changes & MessageEnricher.ADDED_SENT_AT) != 0) {
      appended.put("sentAt", message.getValue("sentAt"));
    }
    return splice(raw.body(), raw.starts()[index], raw.lengths()[index], appended.toBuffer());
  }

  /** {@code {a} + {b}} -> {@code {a,b}}: the object's bytes without the closing brace, then b's fields. */
  static byte[] splice(byte[] body, int start, int length, Buffer appended) {
    int close = start + length - 1; // the raw object ends with '}'
    boolean empty = true;
    for (int i = start + 1; i < close; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        empty = false;
        break;
      }
    }
    int extra = appended.length() - 1; // without its opening brace, with its closing one
    byte[] out = new byte[close - start + (empty ? 0 : 1) + extra];
    System.arraycopy(body, start, out, 0, close - start);
    int at = close - start;
    if (!empty) {
      out[at++] = ',';
    }
    appended.getBytes(1, appended.length(), out, at);
    return out;
  }
}
