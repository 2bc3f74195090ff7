package io.indicativegateway.translate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens a JSON object into the flat {@code key -> scalar} properties Indicative accepts.
 *
 * <ul>
 *   <li>Nested objects: keys joined with {@code .} ({@code {"a":{"b":1}} -> "a.b": 1}).</li>
 *   <li>Arrays: scalars become one comma-joined string under the array's key (numbers in their JSON text, booleans
 *       as {@code true}/{@code false}, nulls skipped); objects inside an array become, for each of their flattened
 *       keys, one comma-joined string under {@code <arrayKey>.<key>}; arrays inside arrays are dropped. A mixed
 *       array does both.</li>
 *   <li>Nulls, empty objects and empty arrays produce nothing; {@code false}, {@code 0} and {@code ""} stay, and
 *       numbers keep their Java type. NaN and infinities are dropped (JSON cannot carry them).</li>
 *   <li>Keys are used verbatim, dots and spaces included. When two paths produce the same key, the one with fewer
 *       segments wins ({@code "a.b": 1} beats {@code {"a":{"b":2}}}), ties going to the path whose segments sort
 *       first: the outcome never depends on the order of keys in the input.</li>
 *   <li>Keys and string values are cut to {@code maxStringLength} UTF-16 units (see {@link Utf16Truncator}); keys
 *       that become equal by the cut collide under the same rule.</li>
 * </ul>
 */
final class PropertyFlattener {

  /**
   * Containers nested this deep below the flattened object are dropped with their content. Real properties nest a
   * handful of levels; the bound keeps recursion (and the key paths built along it) small whatever a client sends.
   */
  static final int MAX_DEPTH = 64;

  /**
   * Most keys one flattening (and one item's properties) may hold; further keys are dropped. A 32 KB message can
   * describe thousands of distinct keys (arrays of objects multiply them); this bounds the memory per message.
   */
  static final int MAX_KEYS = 10_000;

  private final int maxStringLength;
  /** Raw keys and joined values are built up to this many units: one more than kept decides a cut surrogate pair. */
  private final int buildLimit;

  PropertyFlattener(int maxStringLength) {
    this.maxStringLength = maxStringLength;
    this.buildLimit = maxStringLength + 1;
  }

  /** Flattened properties of {@code source} in input order; empty for {@code null}. */
  Map<String, Object> flatten(JsonObject source) {
    return flatten(source, null);
  }

  /** Like {@link #flatten(JsonObject)} with every key under {@code prefix} ({@code "campaign" -> "campaign.x"}). */
  Map<String, Object> flatten(JsonObject source, String prefix) {
    if (source == null) {
      return Collections.emptyMap();
    }
    Map<String, Leaf> leaves = new LinkedHashMap<>();
    collectObject(source, Path.root(prefix, buildLimit), 0, leaves);
    Map<String, Object> result = new LinkedHashMap<>(leaves.size() * 2);
    leaves.forEach((key, leaf) -> result.put(key,
        leaf.value instanceof String text ? Utf16Truncator.truncate(text, maxStringLength) : leaf.value));
    return result;
  }

  private void collectObject(JsonObject object, Path path, int depth, Map<String, Leaf> out) {
    if (depth >= MAX_DEPTH) {
      return;
    }
    // Read the backing map untyped: a JsonObject built in code may hold a map whose keys are not strings.
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) object.getMap()).entrySet()) {
      collectValue(entry.getValue(), path.child(String.valueOf(entry.getKey()), buildLimit), depth, out);
    }
  }

  private void collectValue(Object value, Path path, int depth, Map<String, Leaf> out) {
    JsonObject object = JsonFields.asObject(value);
    if (object != null) {
      collectObject(object, path, depth + 1, out);
      return;
    }
    JsonArray array = JsonFields.asArray(value);
    if (array != null) {
      collectArray(array, path, depth + 1, out);
      return;
    }
    Object scalar = scalar(value);
    if (scalar != null) {
      put(out, path, scalar);
    }
  }

  private void collectArray(JsonArray array, Path path, int depth, Map<String, Leaf> out) {
    if (depth >= MAX_DEPTH) {
      return;
    }
    Joiner scalars = new Joiner(buildLimit);
    Map<String, JoinedLeaf> fromObjects = new LinkedHashMap<>();
    for (Object element : array) {
      JsonObject object = JsonFields.asObject(element);
      if (object != null) {
        Map<String, Leaf> inner = new LinkedHashMap<>();
        collectObject(object, path, depth + 1, inner);
        inner.forEach((key, leaf) -> joinInto(fromObjects, key, leaf));
      } else if (JsonFields.asArray(element) == null) {
        Object scalar = scalar(element);
        if (scalar != null) {
          scalars.add(text(scalar));
        }
      }
    }
    if (!scalars.isEmpty()) {
      put(out, path, scalars.toString());
    }
    fromObjects.values().forEach(joined -> put(out, joined.path, joined.values.toString()));
  }

  private void joinInto(Map<String, JoinedLeaf> joinedByKey, String key, Leaf leaf) {
    JoinedLeaf joined = joinedByKey.get(key);
    if (joined == null) {
      if (joinedByKey.size() >= MAX_KEYS) {
        return;
      }
      joined = new JoinedLeaf(leaf.path, new Joiner(buildLimit));
      joinedByKey.put(key, joined);
    } else if (leaf.path.outranks(joined.path)) {
      joined.path = leaf.path;
    }
    joined.values.add(text(leaf.value));
  }

  private void put(Map<String, Leaf> out, Path path, Object value) {
    String key = Utf16Truncator.truncate(path.key, maxStringLength);
    if (key.isEmpty()) {
      return; // Indicative cannot show a property without a name
    }
    Leaf existing = out.get(key);
    if (existing == null) {
      if (out.size() < MAX_KEYS) {
        out.put(key, new Leaf(path, value));
      }
    } else if (path.outranks(existing.path)) {
      existing.path = path;
      existing.value = value;
    }
  }

  /** A JSON scalar as String, Number or Boolean; {@code null} for null and for values JSON cannot carry. */
  private static Object scalar(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      return JsonFields.isFinite(number) ? number : null;
    }
    if (value instanceof Enum<?> constant) {
      return constant.name(); // as Vert.x encodes enums
    }
    if (value instanceof Instant instant) {
      return instant.toString(); // as Vert.x encodes instants
    }
    return null;
  }

  private static String text(Object scalar) {
    return scalar.toString();
  }

  private static final class Leaf {
    Path path;
    Object value;

    Leaf(Path path, Object value) {
      this.path = path;
      this.value = value;
    }
  }

  private static final class JoinedLeaf {
    Path path;
    final Joiner values;

    JoinedLeaf(Path path, Joiner values) {
      this.path = path;
      this.values = values;
    }
  }

  /**
   * Where a value sits: its key segments (kept to rank colliding keys) and its joined key, built only up to the
   * length that can survive the cut, so deep paths of long keys cost no more than short ones.
   */
  private static final class Path {
    final Path parent;
    final String segment;
    final int segments;
    final String key;

    private Path(Path parent, String segment, int segments, String key) {
      this.parent = parent;
      this.segment = segment;
      this.segments = segments;
      this.key = key;
    }

    static Path root(String prefix, int limit) {
      return prefix == null ? new Path(null, null, 0, "") : new Path(null, prefix, 1, head(prefix, limit));
    }

    Path child(String childSegment, int limit) {
      String childKey;
      if (segments == 0) {
        childKey = head(childSegment, limit);
      } else if (key.length() >= limit) {
        childKey = key;
      } else {
        StringBuilder joined = new StringBuilder(Math.min(limit, key.length() + 1 + childSegment.length()))
            .append(key).append('.');
        joined.append(childSegment, 0, Math.min(childSegment.length(), Math.max(0, limit - joined.length())));
        childKey = joined.toString();
      }
      return new Path(this, childSegment, segments + 1, childKey);
    }

    /** Fewer segments first (the more literal key), then the segments' order: independent of input order. */
    boolean outranks(Path other) {
      if (segments != other.segments) {
        return segments < other.segments;
      }
      List<String> mine = segmentList();
      List<String> theirs = other.segmentList();
      for (int i = 0; i < mine.size(); i++) {
        int order = mine.get(i).compareTo(theirs.get(i));
        if (order != 0) {
          return order < 0;
        }
      }
      return false;
    }

    private List<String> segmentList() {
      List<String> list = new ArrayList<>(segments);
      for (Path p = this; p != null && p.segment != null; p = p.parent) {
        list.add(p.segment);
      }
      Collections.reverse(list);
      return list;
    }

    private static String head(String text, int limit) {
      return text.length() > limit ? text.substring(0, limit) : text;
    }
  }

  /** Comma-joins values, keeping only the first {@code limit} units (the rest would be cut anyway). */
  private static final class Joiner {
    private final StringBuilder text = new StringBuilder();
    private final int limit;
    private int parts;

    Joiner(int limit) {
      this.limit = limit;
    }

    void add(String part) {
      if (parts++ > 0 && text.length() < limit) {
        text.append(',');
      }
      int room = limit - text.length();
      if (room > 0) {
        text.append(part, 0, Math.min(room, part.length()));
      }
    }

    boolean isEmpty() {
      return parts == 0;
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
