package io.indicativegateway.translate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Type-tolerant reads of message fields: a field of the wrong type counts as absent instead of throwing, so a
 * message with {@code "context": 5} or {@code "properties": "x"} still translates.
 */
final class JsonFields {

  private JsonFields() {}

  /** The object under {@code key}, or {@code null} when absent or not an object. */
  static JsonObject object(JsonObject parent, String key) {
    return parent == null ? null : asObject(parent.getValue(key));
  }

  /** The value under {@code key} (maps and lists wrapped as JSON), or {@code null} when absent. */
  static Object value(JsonObject parent, String key) {
    return parent == null ? null : parent.getValue(key);
  }

  @SuppressWarnings("unchecked")
  static JsonObject asObject(Object value) {
    if (value instanceof JsonObject object) {
      return object;
    }
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  static JsonArray asArray(Object value) {
    if (value instanceof JsonArray array) {
      return array;
    }
    if (value instanceof List<?> list) {
      return new JsonArray((List<Object>) list);
    }
    return null;
  }

  /**
   * The text of a scalar (string, number in its JSON form, boolean), or {@code null} for anything else. Used
   * where Segment allows any scalar but Indicative needs a string, such as an event name.
   */
  static String scalarText(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Number number) {
      return isFinite(number) ? number.toString() : null;
    }
    return null;
  }

  /** False for NaN and infinities, which JSON cannot carry. */
  static boolean isFinite(Number number) {
    if (number instanceof Double || number instanceof Float) {
      return Double.isFinite(number.doubleValue());
    }
    return true;
  }
}
