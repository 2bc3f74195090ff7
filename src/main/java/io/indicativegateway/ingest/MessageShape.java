package io.indicativegateway.ingest;

import io.indicativegateway.config.LimitSettings;
import io.indicativegateway.json.ShapeCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Checks how big a message is inside, in one walk: how many keys and array elements it has (all levels), and how
 * long its keys and string values are. Nesting depth was already bounded by the transport (the HTTP parser,
 * the event-bus depth check). Pure.
 */
final class MessageShape {

  private MessageShape() {}

  /** Null when the message fits the limits, else what is too large. */
  static String check(JsonObject message, LimitSettings limits) {
    int[] count = {0};
    return walk(message, limits, count);
  }

  /** The same check from what the parser already counted (no walk). */
  static String check(ShapeCounter shape, LimitSettings limits) {
    if (shape.entries() > limits.maxPropertiesPerMessage()) {
      return "the message has more than " + limits.maxPropertiesPerMessage() + " properties";
    }
    if (shape.longestKey() > limits.maxKeyLength()) {
      return "a key in the message is longer than " + limits.maxKeyLength() + " characters";
    }
    if (shape.longestString() > limits.maxValueLength()) {
      return "a string value in the message is longer than " + limits.maxValueLength() + " characters";
    }
    return null;
  }

  private static String walk(Object value, LimitSettings limits, int[] count) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (++count[0] > limits.maxPropertiesPerMessage()) {
          return "the message has more than " + limits.maxPropertiesPerMessage() + " properties";
        }
        if (entry.getKey().length() > limits.maxKeyLength()) {
          return "a key in the message is longer than " + limits.maxKeyLength() + " characters";
        }
        String problem = walk(entry.getValue(), limits, count);
        if (problem != null) {
          return problem;
        }
      }
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        if (++count[0] > limits.maxPropertiesPerMessage()) {
          return "the message has more than " + limits.maxPropertiesPerMessage() + " properties";
        }
        String problem = walk(element, limits, count);
        if (problem != null) {
          return problem;
        }
      }
    } else if (value instanceof String text && text.length() > limits.maxValueLength()) {
      return "a string value in the message is longer than " + limits.maxValueLength() + " characters";
    }
    return null;
  }
}
