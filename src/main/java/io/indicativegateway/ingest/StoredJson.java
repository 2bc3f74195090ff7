package io.indicativegateway.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
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
    byte[] body = raw.body();
    int start = raw.starts()[index];
    int close = start + raw.lengths()[index] - 1; // the raw object ends with '}'
    Buffer out = Buffer.buffer(close - start + 160);
    out.appendBytes(body, start, close - start);
    boolean first = isEmptyObject(body, start, close);
    first = field(out, first, "type", message.getValue("type"));
    first = field(out, first, "messageId", message.getValue("messageId"));
    first = field(out, first, "receivedAt", message.getValue("receivedAt"));
    if (message.getValue("event") != null) {
      first = field(out, first, "event", message.getValue("event")); // normalized to a string
    }
    if ((changes & MessageEnricher.REMOVED_WRITE_KEY) != 0) {
      first = field(out, first, "writeKey", null);
    }
    if ((changes & MessageEnricher.ADDED_CONTEXT) != 0) {
      first = field(out, first, "context", message.getValue("context"));
    }
    if ((changes & MessageEnricher.ADDED_INTEGRATIONS) != 0) {
      first = field(out, first, "integrations", message.getValue("integrations"));
    }
    if ((changes & MessageEnricher.ADDED_SENT_AT) != 0) {
      field(out, first, "sentAt", message.getValue("sentAt"));
    }
    return out.appendByte((byte) '}').getBytes();
  }

  /** Appends {@code ,"name":value}; strings are escaped directly, other values go through the JSON encoder. */
  private static boolean field(Buffer out, boolean first, String name, Object value) {
    if (!first) {
      out.appendByte((byte) ',');
    }
    out.appendByte((byte) '"').appendString(name).appendString("\":");
    if (value instanceof String text) {
      out.appendByte((byte) '"').appendBytes(ESCAPER.quoteAsUTF8(text)).appendByte((byte) '"');
    } else if (value == null) {
      out.appendString("null");
    } else {
      out.appendString(Json.encode(value));
    }
    return false;
  }

  private static boolean isEmptyObject(byte[] body, int start, int close) {
    for (int i = start + 1; i < close; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
}
