package io.indicativegateway.translate;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Serializes Indicative item bodies to the same JSON as {@link JsonObject#toBuffer()} (an emoji is written as its
 * four UTF-8 bytes rather than as two {@code \\u} escapes), at a fraction of its cost:
 * item bodies are small trees of strings, numbers and booleans, and Vert.x's general encoder spends most of its
 * time choosing among types it supports and tracking generator state. Strings are escaped by Jackson's encoder;
 * any value type other than those a translation makes goes through Vert.x's encoder.
 */
final class ItemEncoder {

  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private byte[] out = new byte[512];
  private int length;

  private ItemEncoder() {}

  static Buffer encode(JsonObject body) {
    ItemEncoder encoder = new ItemEncoder();
    encoder.object(body.getMap());
    return Buffer.buffer(Arrays.copyOf(encoder.out, encoder.length));
  }

  private void object(Map<?, ?> map) {
    append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!first) {
        append(',');
      }
      first = false;
      string(String.valueOf(entry.getKey()));
      append(':');
      value(entry.getValue());
    }
    append('}');
  }

  private void array(List<?> list) {
    append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        append(',');
      }
      value(list.get(i));
    }
    append(']');
  }

  private void value(Object value) {
    if (value instanceof String text) {
      string(text);
    } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
        || value instanceof BigDecimal || value instanceof Short || value instanceof Byte) {
      ascii(value.toString()); // what Jackson writes for these: their toString()
    } else if (value instanceof Boolean flag) {
      append(flag ? TRUE : FALSE);
    } else if (value == null) {
      append(NULL);
    } else if (value instanceof JsonObject object) {
      object(object.getMap());
    } else if (value instanceof JsonArray array) {
      array(array.getList());
    } else if (value instanceof Map<?, ?> map) {
      object(map);
    } else if (value instanceof List<?> list) {
      array(list);
    } else {
      append(Json.encode(value).getBytes(StandardCharsets.UTF_8)); // doubles, instants, enums...: as Vert.x does
    }
  }

  private void string(String text) {
    append('"');
    append(ESCAPER.quoteAsUTF8(text));
    append('"');
  }

  private void ascii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      out[length++] = (byte) text.charAt(i);
    }
  }

  private void append(char c) {
    ensure(1);
    out[length++] = (byte) c;
  }

  private void append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, out, length, bytes.length);
    length += bytes.length;
  }

  private void ensure(int more) {
    if (length + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
    }
  }
}
