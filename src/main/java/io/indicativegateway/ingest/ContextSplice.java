package io.indicativegateway.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Adds fields to the {@code context} object inside a message's own bytes, so that filling {@code context.ip} (and
 * {@code context.userAgent}) from the request does not cost serializing the whole message again (see
 * {@link StoredJson}): the added fields go just before the context's closing brace. Since a JSON object read back
 * keeps the last value of a repeated key, they win over a {@code null} the client sent for them.
 *
 * <p>The bytes are a message the reader already parsed, so they are valid JSON; anything this scanner does not
 * expect (a key written with escapes, say) makes it give up, and the caller serializes the message instead.
 */
final class ContextSplice {

  private static final byte[] CONTEXT = "context".getBytes(StandardCharsets.US_ASCII);

  private static final int FILLED = MessageEnricher.FILLED_IP | MessageEnricher.FILLED_USER_AGENT;

  private ContextSplice() {}

  /** Whether enrichment added fields inside the context the client sent (and merged nothing else into it). */
  static boolean needed(int changes) {
    return (changes & FILLED) != 0 && (changes & MessageEnricher.MERGED_DEEP) == 0;
  }

  /**
   * The stored bytes of a message whose own context got fields from the request: what {@link StoredJson} stores
   * for the other changes, with those fields spliced into the context; the message serialized anew when the
   * context cannot be found in the bytes.
   */
  static byte[] store(StoredJson storedJson, JsonObject message, RawSpans raw, int index, int changes) {
    byte[] stored = storedJson.of(message, raw, index, changes & ~FILLED); // top-level fields, never a context
    JsonObject context = message.getJsonObject("context");
    JsonObject fields = new JsonObject();
    if ((changes & MessageEnricher.FILLED_IP) != 0) {
      fields.put("ip", context.getValue("ip"));
    }
    if ((changes & MessageEnricher.FILLED_USER_AGENT) != 0) {
      fields.put("userAgent", context.getValue("userAgent"));
    }
    byte[] spliced = add(stored, 0, stored.length, fields);
    return spliced != null ? spliced : message.toBuffer().getBytes();
  }

  /**
   * The message's bytes with {@code fields} added to its top-level context object, or null when that object
   * cannot be found in them.
   */
  static byte[] add(byte[] body, int start, int length, JsonObject fields) {
    int close = contextEnd(body, start, length);
    if (close < 0) {
      return null;
    }
    int before = close - 1;
    while (before > start && isSpace(body[before])) {
      before--;
    }
    boolean empty = body[before] == '{';
    Buffer added = fields.toBuffer(); // {"ip":"..."}: its fields are what goes in
    int inner = added.length() - 2;
    byte[] out = new byte[length + (empty ? 0 : 1) + inner];
    int head = close - start;
    System.arraycopy(body, start, out, 0, head);
    int at = head;
    if (!empty) {
      out[at++] = ',';
    }
    added.getBytes(1, added.length() - 1, out, at);
    at += inner;
    System.arraycopy(body, close, out, at, length - head);
    return out;
  }

  /** Index of the brace closing the value of the last top-level {@code "context"} key, or -1. */
  static int contextEnd(byte[] b, int start, int length) {
    int end = start + length;
    int i = skipSpace(b, start, end);
    if (i >= end || b[i] != '{') {
      return -1;
    }
    i++;
    int found = -1;
    while (true) {
      i = skipSpace(b, i, end);
      if (i >= end) {
        return -1;
      }
      if (b[i] == '}') {
        return found;
      }
      if (b[i] == ',') {
        i++;
        continue;
      }
      if (b[i] != '"') {
        return -1;
      }
      int keyEnd = skipString(b, i, end);
      if (keyEnd < 0) {
        return -1;
      }
      boolean context = isContext(b, i + 1, keyEnd - 1);
      i = skipSpace(b, keyEnd, end);
      if (i >= end || b[i] != ':') {
        return -1;
      }
      i = skipSpace(b, i + 1, end);
      int valueEnd = skipValue(b, i, end);
      if (valueEnd < 0) {
        return -1;
      }
      if (context) {
        found = b[i] == '{' ? valueEnd - 1 : -1; // a repeated key: the last one is the one read back
      }
      i = valueEnd;
    }
  }

  private static boolean isContext(byte[] b, int from, int to) {
    if (to - from != CONTEXT.length) {
      return false;
    }
    for (int k = 0; k < CONTEXT.length; k++) {
      if (b[from + k] != CONTEXT[k]) {
        return false;
      }
    }
    return true;
  }

  /** Index just after the value starting at {@code i}, or -1. */
  private static int skipValue(byte[] b, int i, int end) {
    if (i >= end) {
      return -1;
    }
    byte first = b[i];
    if (first == '"') {
      return skipString(b, i, end);
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      while (i < end) {
        byte c = b[i];
        if (c == '"') {
          i = skipString(b, i, end);
          if (i < 0) {
            return -1;
          }
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
      return -1;
    }
    while (i < end && b[i] != ',' && b[i] != '}' && b[i] != ']' && !isSpace(b[i])) {
      i++; // number, true, false, null
    }
    return i;
  }

  /** Index just after the string whose opening quote is at {@code i}, or -1. */
  private static int skipString(byte[] b, int i, int end) {
    for (int k = i + 1; k < end; k++) {
      if (b[k] == '\\') {
        k++;
      } else if (b[k] == '"') {
        return k + 1;
      }
    }
    return -1;
  }

  private static int skipSpace(byte[] b, int i, int end) {
    while (i < end && isSpace(b[i])) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
