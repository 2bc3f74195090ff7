package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the case tables cannot express: Java types, hostile sizes and input-order independence. */
class PropertyFlattenerTest {

  private final PropertyFlattener flattener = new PropertyFlattener(255);

  @Test
  void numbersKeepTheirJavaType() {
    JsonObject source = new JsonObject()
        .put("i", 1).put("l", 12345678901234567L).put("bi", new BigInteger("123456789012345678901234567890"))
        .put("d", 2.5).put("bd", new BigDecimal("19.990")).put("f", 1.5f);

    Map<String, Object> flat = flattener.flatten(source);

    assertThat(flat.get("i")).isInstanceOf(Integer.class);
    assertThat(flat.get("l")).isEqualTo(12345678901234567L);
    assertThat(flat.get("bi")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(flat.get("d")).isEqualTo(2.5);
    assertThat(flat.get("bd")).isEqualTo(new BigDecimal("19.990"));
    assertThat(flat.get("f")).isEqualTo(1.5f);
  }

  @Test
  void parsedNumbersKeepEveryDigit() {
    Map<String, Object> flat = flattener.flatten(new JsonObject("{\"l\":12345678901234567,\"big\":123456789012345678901234567890}"));

    assertThat(flat.get("l")).isEqualTo(12345678901234567L);
    assertThat(flat.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void nonFiniteNumbersAreDropped() {
    JsonObject source = new JsonObject("{\"inf\":1e400,\"ok\":1}").put("nan", Double.NaN).put("fnan", Float.NaN)
        .put("list", new JsonArray().add(1).add(Double.POSITIVE_INFINITY).add(2));

    assertThat(flattener.flatten(source)).containsExactly(Map.entry("ok", 1), Map.entry("list", "1,2"));
  }

  @Test
  void plainJavaMapsAndListsFlattenLikeJson() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("b", 1);
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("a", nested);
    raw.put("tags", List.of("x", "y"));
    raw.put("items", List.of(Map.of("id", "p"), Map.of("id", "q")));

    assertThat(flattener.flatten(new JsonObject(raw)))
        .containsExactly(Map.entry("a.b", 1), Map.entry("tags", "x,y"), Map.entry("items.id", "p,q"));
  }

  @Test
  void outputHoldsOnlyScalars() {
    JsonObject source = new JsonObject("{\"a\":{\"b\":[{\"c\":[[1]],\"d\":{\"e\":[]}}],\"f\":{}},\"g\":[[]]}");

    assertThat(flattener.flatten(source)).isEmpty();
  }

  @Test
  void contentUpToTheDepthLimitIsKept() {
    JsonObject source = nested(PropertyFlattener.MAX_DEPTH, "leaf");

    Map<String, Object> flat = flattener.flatten(source);

    assertThat(flat).hasSize(1);
    assertThat(flat.keySet().iterator().next().split("\\.")).hasSize(PropertyFlattener.MAX_DEPTH);
  }

  @Test
  void contentBeyondTheDepthLimitIsDropped() {
    JsonObject source = nested(PropertyFlattener.MAX_DEPTH + 1, "too deep").put("shallow", 1);

    assertThat(flattener.flatten(source)).containsExactly(Map.entry("shallow", 1));
  }

  @Test
  void absurdNestingDoesNotOverflowTheStack() {
    JsonObject deepest = nested(100_000, "x");
    JsonArray arrays = new JsonArray();
    JsonArray current = arrays;
    for (int i = 0; i < 100_000; i++) {
      JsonArray next = new JsonArray();
      current.add(new JsonObject().put("k", next));
      current = next;
    }

    assertThat(flattener.flatten(deepest)).isEmpty();
    assertThat(flattener.flatten(new JsonObject().put("a", arrays))).isEmpty();
  }

  @Test
  void keysPerFlatteningAreCapped() {
    JsonObject source = new JsonObject();
    for (int i = 0; i < PropertyFlattener.MAX_KEYS * 3; i++) {
      source.put("k" + i, i);
    }

    Map<String, Object> flat = flattener.flatten(source);

    assertThat(flat).hasSize(PropertyFlattener.MAX_KEYS);
    assertThat(flat).containsEntry("k0", 0).doesNotContainKey("k" + PropertyFlattener.MAX_KEYS);
  }

  @Test
  void keysFromArraysOfObjectsAreCapped() {
    JsonArray items = new JsonArray();
    for (int i = 0; i < 5_000; i++) {
      items.add(new JsonObject().put("a" + i, i).put("b" + i, i).put("c" + i, i));
    }

    assertThat(flattener.flatten(new JsonObject().put("items", items))).hasSize(PropertyFlattener.MAX_KEYS);
  }

  @Test
  void joinedStringsStayBoundedWhateverTheArraySize() {
    JsonArray huge = new JsonArray();
    for (int i = 0; i < 200_000; i++) {
      huge.add("value-" + i);
    }

    Object joined = flattener.flatten(new JsonObject().put("list", huge)).get("list");

    assertThat((String) joined).hasSize(255).startsWith("value-0,value-1,");
  }

  @Test
  void resultDoesNotDependOnKeyOrder() {
    JsonObject source = new JsonObject("""
        {"a.b": 1, "a": {"b": 2, "c": {"d": 3}, "c.d": 4}, "a.c.d": 5, "x": [{"y": 1}, {"y": 2}], "x.y": 6,
         "p.q": {"r": 7}, "p": {"q.r": 8}, "long%s": 9, "long%s": 10, "list": [1, {"k": 1}], "list.k": 11}
        """.formatted("z".repeat(260) + "b", "z".repeat(260) + "a"));
    Map<String, Object> expected = flattener.flatten(source);

    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      Map<String, Object> actual = flattener.flatten(shuffled(source, random));
      assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    }
    assertThat(expected).containsEntry("a.b", 1).containsEntry("a.c.d", 5).containsEntry("x.y", 6)
        .containsEntry("p.q.r", 8).containsEntry("list.k", 11).containsEntry("long" + "z".repeat(251), 10);
  }

  @Test
  void prefixIsPutBeforeEveryKey() {
    Map<String, Object> flat = flattener.flatten(new JsonObject("{\"name\":\"n\",\"a\":{\"b\":1},\"l\":[{\"x\":1}]}"), "group");

    assertThat(flat).containsExactly(Map.entry("group.name", "n"), Map.entry("group.a.b", 1), Map.entry("group.l.x", "1"));
  }

  @Test
  void nullSourceGivesNothing() {
    assertThat(flattener.flatten(null)).isEmpty();
  }

  private static JsonObject nested(int levels, String leaf) {
    JsonObject root = new JsonObject();
    JsonObject current = root;
    for (int i = 1; i < levels; i++) {
      JsonObject next = new JsonObject();
      current.put("k", next);
      current = next;
    }
    current.put("k", leaf);
    return root;
  }

  private static JsonObject shuffled(JsonObject source, Random random) {
    List<String> keys = new ArrayList<>(source.fieldNames());
    Collections.shuffle(keys, random);
    JsonObject copy = new JsonObject();
    for (String key : keys) {
      Object value = source.getValue(key);
      copy.put(key, value instanceof JsonObject object ? shuffled(object, random) : value);
    }
    return copy;
  }
}
