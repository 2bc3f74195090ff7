package io.indicativegateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way the gateway turns JSON bytes into a tree, used by ingestion and by translation so both see the
 * same values: integers stay Integer/Long/BigInteger, every other number is an exact {@link java.math.BigDecimal}
 * (never a rounded or infinite double: {@code 1.2345678901234567891} keeps every digit, {@code 1e400} stays
 * finite), strings have unpaired UTF-16 surrogates replaced by U+FFFD, and a repeated key keeps its last value.
 */
public final class ExactJson {

  /**
   * The deepest nesting the ingestion limit ({@code GATEWAY_MAX_JSON_DEPTH}) may be configured to: one level below
   * the 1,000 Jackson's encoder writes, so a message stays writable inside the dead letter that wraps it.
   */
  public static final int MAX_CONFIGURABLE_DEPTH = 999;

  /**
   * Stored JSON (messages and the dead letters that wrap them) was bounded when it was accepted, under whatever
   * depth limit was configured then; reading it back must never refuse it, or a message accepted with a deeper
   * limit (or before the limit was lowered) would be dead-lettered as untranslatable. The few extra levels are
   * the dead-letter record around a message.
   */
  static final int STORED_MAX_DEPTH = MAX_CONFIGURABLE_DEPTH + 4;

  private static final JsonFactory STORED = factory(STORED_MAX_DEPTH);

  private ExactJson() {}

  public static JsonFactory factory(int maxDepth) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxNumberLength(1000)
            .build())
        .build();
  }

  /** Parses bytes that must hold one JSON object (what the store holds), however deep ingestion let it be. */
  public static JsonObject parseObject(byte[] json) {
    try (JsonParser parser = STORED.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return (JsonObject) readValue(parser, first, null, mayHoldLoneSurrogates(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the value starting at {@code token}, recursively. */
  public static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    return readValue(parser, token, null);
  }

  /** Reads the value starting at {@code token}, recursively, counting its shape into {@code shape} if given. */
  public static Object readValue(JsonParser parser, JsonToken token, ShapeCounter shape) throws IOException {
    return readValue(parser, token, shape, true);
  }

  /**
   * Like {@link #readValue(JsonParser, JsonToken, ShapeCounter)}; {@code escapes} false promises that the text
   * holds no {@code \\u} escape (see {@link #mayHoldLoneSurrogates}), so no string needs a look for lone surrogates.
   */
  public static Object readValue(JsonParser parser, JsonToken token, ShapeCounter shape, boolean escapes)
      throws IOException {
    if (token == null) {
      throw new IOException("the JSON ends too early");
    }
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = escapes ? clean(parser.currentName()) : parser.currentName();
          if (shape != null) {
            shape.entries++;
            shape.longestKey = Math.max(shape.longestKey, name.length());
          }
          object.put(name, readValue(parser, parser.nextToken(), shape, escapes));
        }
        yield new JsonObject(object);
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          if (shape != null) {
            shape.entries++;
          }
          array.add(readValue(parser, next, shape, escapes));
        }
        yield new JsonArray(array);
      }
      case VALUE_STRING -> {
        String text = escapes ? clean(parser.getText()) : parser.getText();
        if (shape != null) {
          shape.longestString = Math.max(shape.longestString, text.length());
        }
        yield text;
      }
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> parser.getIntValue();
        case LONG -> parser.getLongValue();
        default -> parser.getBigIntegerValue();
      };
      case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + token);
    };
  }

  /**
   * Whether JSON text may decode to a lone surrogate: through a {@code \\u} escape, or a surrogate written as
   * three bytes (lead byte 0xED, which strict UTF-8 refuses but the parser decodes). Most messages have neither,
   * and then no string needs looking at.
   */
  public static boolean mayHoldLoneSurrogates(byte[] json) {
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (b == (byte) 0xED || (b == '\\' && i + 1 < json.length && json[i + 1] == 'u')) {
        return true;
      }
    }
    return false;
  }

  /** Replaces unpaired UTF-16 surrogates (only possible through \\u escapes) with U+FFFD. */
  public static String clean(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return replaceLoneSurrogates(text);
      }
    }
    return text;
  }

  private static String replaceLoneSurrogates(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
