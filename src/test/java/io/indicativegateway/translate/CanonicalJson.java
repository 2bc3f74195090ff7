package io.indicativegateway.translate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A text form of JSON values for comparing expected and actual items: keys sorted, numbers compared by value
 * ({@code 2}, {@code 2L} and {@code 2.0} are equal), strings escaped so invisible differences (a U+FFFD, a lone
 * surrogate) show in the failure message.
 */
final class CanonicalJson {

  private CanonicalJson() {}

  static String of(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(e -> sorted.put(e.getKey(), e.getValue())); // the iterator wraps nested maps and lists
      return sorted.entrySet().stream()
          .map(e -> string(e.getKey()) + ":" + of(e.getValue()))
          .collect(Collectors.joining(",\n", "{", "}"));
    }
    if (value instanceof JsonArray array) {
      return array.stream().map(CanonicalJson::of).collect(Collectors.joining(",", "[", "]"));
    }
    if (value instanceof String text) {
      return string(text);
    }
    if (value instanceof Number number) {
      return "#" + decimal(number).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  static BigDecimal decimal(Number number) {
    if (number instanceof BigDecimal d) {
      return d;
    }
    if (number instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (number instanceof Double || number instanceof Float) {
      return BigDecimal.valueOf(number.doubleValue());
    }
    return BigDecimal.valueOf(number.longValue());
  }

  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
