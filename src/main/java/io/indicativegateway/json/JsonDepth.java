package io.indicativegateway.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * How deep a JSON tree nests, counted as the parser counts text: the root object or array is level 1. For trees
 * that arrive already built (the event bus), so they meet the same depth limit as bodies parsed from bytes.
 */
public final class JsonDepth {

  private JsonDepth() {}

  /** Whether {@code value} nests deeper than {@code max} levels; never looks more than one level past it. */
  public static boolean exceeds(Object value, int max) {
    return deeper(value, 1, max);
  }

  private static boolean deeper(Object value, int level, int max) {
    Collection<?> children = children(value);
    if (children == null) {
      return false;
    }
    if (level > max) {
      return true;
    }
    for (Object child : children) {
      if (deeper(child, level + 1, max)) {
        return true;
      }
    }
    return false;
  }

  /** The values inside an object or array (a JsonObject may hold plain maps and lists), or null for a scalar. */
  private static Collection<?> children(Object value) {
    if (value instanceof JsonObject object) {
      return object.getMap().values();
    }
    if (value instanceof JsonArray array) {
      return array.getList();
    }
    if (value instanceof Map<?, ?> map) {
      return map.values();
    }
    return value instanceof Collection<?> list ? list : null;
  }
}
