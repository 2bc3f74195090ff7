package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** translate never throws and its output keeps the contract's shape, however wrong the input's types are. */
class RobustnessTest {

  private static final String RECEIVED_AT = "2026-12-03T15:49:43.123Z";

  /** Fields (dotted paths into the message) that get every hostile value in turn. */
  private static final List<String> FIELDS = List.of(
      "type", "userId", "anonymousId", "previousId", "groupId", "event", "name", "receivedAt", "sentAt", "timestamp",
      "originalTimestamp", "properties", "properties.name", "properties.nested", "traits", "traits.id", "context",
      "context.userAgent", "context.user_agent", "context.page", "context.campaign", "context.campaign.source",
      "context.traits");

  private static List<Object> hostileValues() {
    List<Object> values = new ArrayList<>();
    values.add(null);
    values.add("");
    values.add("\uD800");
    values.add("x".repeat(10_000));
    values.add(true);
    values.add(0);
    values.add(-1L);
    values.add(Double.NaN);
    values.add(Double.NEGATIVE_INFINITY);
    values.add(1e308);
    values.add(new BigInteger("9".repeat(400)));
    values.add(new BigDecimal("1E+1000000"));
    values.add(new BigDecimal("1E-1000000"));
    values.add(new JsonObject());
    values.add(new JsonArray());
    values.add(new JsonArray().add(new JsonArray().add(new JsonArray())).addNull());
    values.add(new JsonObject().put("a", new JsonObject().put("b", new JsonArray().add(new JsonObject().put("c", 1)))));
    values.add(new byte[] {1, 2});
    values.add(new Object());
    Map<Object, Object> nonStringKeys = new HashMap<>();
    nonStringKeys.put(1, "one");
    values.add(nonStringKeys);
    return values;
  }

  private static List<JsonObject> validMessages() {
    String ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1";
    JsonObject context = new JsonObject().put("userAgent", ua).put("page", new JsonObject().put("path", "/"))
        .put("campaign", new JsonObject().put("source", "s")).put("traits", new JsonObject().put("plan", "p"));
    List<JsonObject> messages = new ArrayList<>();
    for (String type : List.of("track", "page", "screen", "identify", "alias", "group")) {
      messages.add(new JsonObject().put("type", type).put("messageId", "m").put("receivedAt", RECEIVED_AT)
          .put("userId", "u").put("anonymousId", "a").put("previousId", "p").put("groupId", "g").put("event", "E")
          .put("name", "N").put("timestamp", "2026-12-03T15:40:00Z").put("sentAt", "2026-12-03T15:41:00Z")
          .put("properties", new JsonObject().put("k", "v").put("name", "N"))
          .put("traits", new JsonObject().put("t", 1)).put("context", context.copy()));
    }
    return messages;
  }

  @TestFactory
  Stream<DynamicTest> everyFieldWithEveryWrongType() {
    SegmentTranslator translator = Translators.defaults();
    return FIELDS.stream().map(field -> DynamicTest.dynamicTest(field, () -> {
      for (JsonObject valid : validMessages()) {
        for (Object value : hostileValues()) {
          JsonObject message = valid.copy();
          set(message, field, value);
          assertTranslatesSafely(translator, message, valid.getString("type") + " with " + field + " = " + describe(value));
        }
      }
    }));
  }

  @Test
  void randomMessagesNeverBreakTheTranslator() {
    SegmentTranslator translator = Translators.defaults();
    Random random = new Random(20261203);
    for (int i = 0; i < 3_000; i++) {
      JsonObject message = randomMessage(random);
      assertTranslatesSafely(translator, message, "random message #" + i + ": " + message.encode());
    }
  }

  @Test
  void mapWithNonStringKeysBuiltInCodeStillTranslates() {
    Map<Object, Object> properties = new HashMap<>();
    properties.put(1, "one");
    JsonObject message = new JsonObject().put("type", "track").put("event", "E").put("userId", "u")
        .put("receivedAt", RECEIVED_AT).put("properties", properties);

    List<IndicativeItem> items = Translators.defaults().translate(message);

    assertThat(items).hasSize(1);
    assertThat(items.get(0).body().getJsonObject("properties").getMap()).containsExactly(Map.entry("1", "one"));
  }

  @Test
  void nullMessageGivesNothing() {
    assertThat(Translators.defaults().translate(null)).isEmpty();
  }

  @Test
  void validMessagesStillTranslateSoTheHostileRunsMeanSomething() {
    for (JsonObject valid : validMessages()) {
      assertThat(Translators.defaults().translate(valid)).as(valid.getString("type")).isNotEmpty();
    }
  }

  private static void assertTranslatesSafely(SegmentTranslator translator, JsonObject message, String description) {
    List<List<IndicativeItem>> result = new ArrayList<>();
    assertThatCode(() -> result.add(translator.translate(message))).as(description).doesNotThrowAnyException();
    List<IndicativeItem> items = result.get(0);
    assertThat(items).as(description).isNotNull();
    if (!items.isEmpty()) {
      Object type = message.getValue("type");
      ItemInvariants.assertValid(((String) type).toLowerCase(java.util.Locale.ROOT), items, 255);
      // The items must be encodable as the JSON sent to Indicative.
      items.forEach(item -> assertThatCode(() -> item.body().encode()).as(description).doesNotThrowAnyException());
    }
  }

  private static void set(JsonObject message, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject target = message;
    for (int i = 0; i < parts.length - 1; i++) {
      target = target.getJsonObject(parts[i]);
    }
    target.put(parts[parts.length - 1], value);
  }

  private static String describe(Object value) {
    String text = value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }

  private static final String[] KEYS = {
      "type", "userId", "anonymousId", "previousId", "groupId", "event", "name", "timestamp", "sentAt",
      "originalTimestamp", "properties", "traits", "context", "userAgent", "page", "campaign", "id", "a.b", "a", "b",
      "", "\uD83D"};
  private static final String[] TYPES = {"track", "page", "screen", "identify", "alias", "group", "TRACK", "other"};

  private static JsonObject randomMessage(Random random) {
    JsonObject message = randomObject(random, 0);
    message.put("type", TYPES[random.nextInt(TYPES.length)]);
    if (random.nextBoolean()) {
      message.put("receivedAt", RECEIVED_AT);
    }
    if (random.nextBoolean()) {
      message.put("userId", randomScalar(random));
    }
    return message;
  }

  private static JsonObject randomObject(Random random, int depth) {
    JsonObject object = new JsonObject();
    int size = random.nextInt(depth == 0 ? 10 : 5);
    for (int i = 0; i < size; i++) {
      object.put(KEYS[random.nextInt(KEYS.length)], randomValue(random, depth + 1));
    }
    return object;
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 4 ? 6 : 9);
    return switch (kind) {
      case 6, 7 -> randomObject(random, depth);
      case 8 -> {
        JsonArray array = new JsonArray();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          array.add(randomValue(random, depth + 1));
        }
        yield array;
      }
      default -> randomScalar(random);
    };
  }

  private static Object randomScalar(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> random.nextDouble() * 1e15;
      case 5 -> "";
      case 6 -> "2026-12-0" + random.nextInt(10) + "T15:40:00Z";
      case 7 -> "\uD83D" + random.nextInt();
      case 8 -> "x".repeat(random.nextInt(400));
      default -> new BigInteger(70, random);
    };
  }
}
