package io.indicativegateway.translate;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of one Indicative item, assembled from several sources in priority order: a key already present
 * is never replaced, so the source added first wins (the call's own properties before {@code context.page}, before
 * campaign and user-agent fields). Keys and string values are cut to the configured length on the way in, and the
 * whole set is capped at {@link PropertyFlattener#MAX_KEYS}.
 */
final class FlatProperties {

  private final int maxStringLength;
  private final Map<String, Object> values = new LinkedHashMap<>();

  FlatProperties(int maxStringLength) {
    this.maxStringLength = maxStringLength;
  }

  /** Adds what {@link PropertyFlattener} made: its keys and strings are already cut and clean. */
  void addAbsent(Map<String, Object> flattened) {
    for (Map.Entry<String, Object> entry : flattened.entrySet()) {
      if (values.size() >= PropertyFlattener.MAX_KEYS) {
        return;
      }
      if (entry.getValue() != null) {
        values.putIfAbsent(entry.getKey(), entry.getValue());
      }
    }
  }

  void addAbsent(String key, Object value) {
    if (key == null || value == null || values.size() >= PropertyFlattener.MAX_KEYS) {
      return;
    }
    String cutKey = Utf16Truncator.truncate(key, maxStringLength);
    if (cutKey.isEmpty()) {
      return;
    }
    values.putIfAbsent(cutKey, value instanceof String text ? Utf16Truncator.truncate(text, maxStringLength) : value);
  }

  void remove(String key) {
    values.remove(key);
  }

  JsonObject toJson() {
    return new JsonObject(values);
  }
}
