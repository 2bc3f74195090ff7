package io.indicativegateway.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Checks request bodies the way the simulator's Indicative endpoints accept them. Each check returns {@code null}
 * when the input is valid, else a message naming the offending field (e.g. {@code events[3].eventName}).
 */
final class RequestValidator {

  private final int maxEventsPerBatch;
  private final int maxStringLength;

  RequestValidator(int maxEventsPerBatch, int maxStringLength) {
    this.maxEventsPerBatch = maxEventsPerBatch;
    this.maxStringLength = maxStringLength;
  }

  /** {@code {"apiKey", "events": [event, ...]}} (the api key is checked by the caller). */
  String batch(JsonObject body) {
    Object events = body.getValue("events");
    if (!(events instanceof JsonArray array)) {
      return "events must be an array of 1 to " + maxEventsPerBatch + " events";
    }
    if (array.isEmpty()) {
      return "events must not be empty (1 to " + maxEventsPerBatch + " events)";
    }
    if (array.size() > maxEventsPerBatch) {
      return "events has " + array.size() + " elements, at most " + maxEventsPerBatch + " are allowed";
    }
    List<?> list = array.getList();
    for (int i = 0; i < list.size(); i++) {
      Object element = list.get(i);
      if (!(element instanceof Map<?, ?> || element instanceof JsonObject)) {
        return "events[" + i + "] must be an object";
      }
      String error = event(asMap(element), "events[" + i + "].");
      if (error != null) {
        return error;
      }
    }
    return null;
  }

  /** One event: {@code eventName}, {@code eventUniqueId}, optional {@code eventTime} and {@code properties}. */
  String event(JsonObject event) {
    return event(event.getMap(), "");
  }

  /** {@code {"apiKey", "uniqueId", "properties"}}. */
  String identify(JsonObject body) {
    Map<String, Object> map = body.getMap();
    if (!nonEmptyString(map.get("uniqueId"))) {
      return "uniqueId must be a non-empty string";
    }
    return map.containsKey("properties") ? properties(map.get("properties"), "properties") : null;
  }

  /** {@code {"apiKey", "previousId", "newId"}}. */
  String alias(JsonObject body) {
    Map<String, Object> map = body.getMap();
    if (!nonEmptyString(map.get("previousId"))) {
      return "previousId must be a non-empty string";
    }
    if (!nonEmptyString(map.get("newId"))) {
      return "newId must be a non-empty string";
    }
    return null;
  }

  private String event(Map<String, Object> event, String prefix) {
    if (!nonEmptyString(event.get("eventName"))) {
      return prefix + "eventName must be a non-empty string";
    }
    if (!nonEmptyString(event.get("eventUniqueId"))) {
      return prefix + "eventUniqueId must be a non-empty string";
    }
    if (event.containsKey("eventTime")) {
      Object time = event.get("eventTime");
      if (!(time instanceof Integer || time instanceof Long)) {
        return prefix + "eventTime must be an integral JSON number (epoch milliseconds)";
      }
    }
    return event.containsKey("properties") ? properties(event.get("properties"), prefix + "properties") : null;
  }

  private String properties(Object value, String field) {
    if (!(value instanceof Map<?, ?> || value instanceof JsonObject)) {
      return field + " must be an object";
    }
    for (Map.Entry<String, Object> property : asMap(value).entrySet()) {
      Object v = property.getValue();
      if (v instanceof String s) {
        if (s.length() > maxStringLength) {
          return field + "." + property.getKey() + " is " + s.length() + " characters long, at most "
              + maxStringLength + " are allowed";
        }
      } else if (!(v instanceof Number || v instanceof Boolean)) {
        return field + "." + property.getKey() + " must be a string, number or boolean, not " + typeName(v);
      }
    }
    return null;
  }

  private static boolean nonEmptyString(Object value) {
    return value instanceof String s && !s.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof JsonObject json ? json.getMap() : (Map<String, Object>) value;
  }

  static String typeName(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> || value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof List<?> || value instanceof JsonArray) {
      return "an array";
    }
    return value.getClass().getSimpleName();
  }
}
