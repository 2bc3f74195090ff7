package io.indicativegateway.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes stored for an accepted message: the enriched message as JSON.
 *
 * <p>Serializing every message again costs as much as parsing it, so when enrichment only set top-level fields
 * the client's own bytes are kept and the fields that changed appended before the closing brace
 * ({@code {...,"receivedAt":"...","messageId":"..."}}). A JSON object read back keeps the last value of a
 * repeated key, so the appended values win. What the request fills into the client's own {@code context}
 * ({@code ip}, {@code userAgent}) is spliced into that object's bytes ({@link ContextSplice}). Only when a
 * batch-level object had to be merged into the message's own is the message serialized again.
 *
 * <p>One instance serves one request: what every message of it gets ({@code receivedAt}, the batch's
 * {@code sentAt}) is encoded once.
 */
final class StoredJson {

  /** Top-level fields validation rewrote (normalized), beyond the flags of {@link MessageEnricher}. */
  static final int TYPE_CHANGED = 1 << 10;
  static final int MESSAGE_ID_CHANGED = 1 << 11;
  static final int EVENT_CHANGED = 1 << 12;

  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

  /** The fields validation may rewrite, as the client sent them; taken before validating. */
  record Declared(Object type, Object messageId, Object event) {

    static Declared of(JsonObject message) {
      return new Declared(message.getValue("type"), message.getValue("messageId"), message.getValue("event"));
    }

    /** Flags for the fields whose value is no longer what the client sent. */
    int changes(JsonObject message) {
      return (Objects.equals(type, message.getValue("type")) ? 0 : TYPE_CHANGED)
          | (Objects.equals(messageId, message.getValue("messageId")) ? 0 : MESSAGE_ID_CHANGED)
          | (Objects.equals(event, message.getValue("event")) ? 0 : EVENT_CHANGED);
    }
  }

  private final byte[] receivedAtField;
  private Object sentAt;
  private byte[] sentAtField;
  private byte[] out = new byte[256]; // the appended fields of the message being stored
  private int length;

  /** @param receivedAt the request's receipt time, as every message of it stores it */
  StoredJson(String receivedAt) {
    this.receivedAtField = field("receivedAt", receivedAt);
  }

  /**
   * @param raw where the message lies in the request body, or null (event bus): serialize it
   * @param changes the flags of {@link MessageEnricher#enrich} and {@link Declared#changes}
   */
  byte[] of(JsonObject message, RawSpans raw, int index, int changes) {
    if (raw != null && ContextSplice.needed(changes)) {
      return ContextSplice.store(this, message, raw, index, changes);
    }
    if (raw == null || (changes & MessageEnricher.MERGED_DEEP) != 0) {
      return message.toBuffer().getBytes();
    }
    length = 0;
    if ((changes & TYPE_CHANGED) != 0) {
      append(field("type", message.getValue("type")));
    }
    if ((changes & (MESSAGE_ID_CHANGED | MessageEnricher.GENERATED_MESSAGE_ID)) != 0) {
      append(field("messageId", message.getValue("messageId")));
    }
    append(receivedAtField);
    if ((changes & EVENT_CHANGED) != 0) {
      append(field("event", message.getValue("event"))); // normalized to a string
    }
    if ((changes & MessageEnricher.REMOVED_WRITE_KEY) != 0) {
      append(field("writeKey", null));
    }
    if ((changes & MessageEnricher.ADDED_CONTEXT) != 0) {
      append(field("context", message.getValue("context")));
    }
    if ((changes & MessageEnricher.ADDED_INTEGRATIONS) != 0) {
      append(field("integrations", message.getValue("integrations")));
    }
    if ((changes & MessageEnricher.ADDED_SENT_AT) != 0) {
      append(sentAtField(message.getValue("sentAt")));
    }
    byte[] body = raw.body();
    int start = raw.starts()[index];
    int close = start + raw.lengths()[index] - 1; // the raw object ends with '}'
    int skip = isEmptyObject(body, start, close) ? 1 : 0; // no comma before the first field of {}
    byte[] stored = new byte[close - start + length - skip + 1];
    System.arraycopy(body, start, stored, 0, close - start);
    System.arraycopy(out, skip, stored, close - start, length - skip);
    stored[stored.length - 1] = '}';
    return stored;
  }

  /** The batch's {@code sentAt} is the same object in every message that took it: encode it once. */
  private byte[] sentAtField(Object value) {
    if (sentAtField == null || value != sentAt) {
      sentAt = value;
      sentAtField = field("sentAt", value);
    }
    return sentAtField;
  }

  private void append(byte[] field) {
    if (length + field.length > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, length + field.length));
    }
    System.arraycopy(field, 0, out, length, field.length);
    length += field.length;
  }

  /** {@code ,"name":value}; strings are escaped directly, other values go through the JSON encoder. */
  private static byte[] field(String name, Object value) {
    byte[] json = value instanceof String text ? quoted(text)
        : (value == null ? "null" : Json.encode(value)).getBytes(StandardCharsets.UTF_8);
    byte[] key = name.getBytes(StandardCharsets.US_ASCII);
    byte[] field = new byte[key.length + json.length + 4];
    field[0] = ',';
    field[1] = '"';
    System.arraycopy(key, 0, field, 2, key.length);
    field[key.length + 2] = '"';
    field[key.length + 3] = ':';
    System.arraycopy(json, 0, field, key.length + 4, json.length);
    return field;
  }

  private static byte[] quoted(String text) {
    byte[] escaped = ESCAPER.quoteAsUTF8(text);
    byte[] json = new byte[escaped.length + 2];
    json[0] = '"';
    System.arraycopy(escaped, 0, json, 1, escaped.length);
    json[json.length - 1] = '"';
    return json;
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
}
