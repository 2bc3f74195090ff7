package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.indicativegateway.json.ExactJson;
import io.indicativegateway.translate.IndicativeItem.Kind;
import io.indicativegateway.translate.JsonArbitraries.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The translator's invariants (contract, section 4) checked on generated hostile input: whatever the message, the
 * translation does not fail, and every item it makes is flat, short, well-formed, valid JSON and repeatable.
 *
 * <p>Properties call {@link SegmentTranslator#translateUnguarded}, so a bug shows as an exception instead of being
 * swallowed by {@link SegmentTranslator#translate}'s safety net.
 */
class TranslatorPropertiesTest {

  private static final int MAX = 255;
  private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;
  /** Far above what a translation costs (well under a millisecond), far below a stuck one. */
  private static final Duration TIME_LIMIT = Duration.ofSeconds(10);
  /** Runs translations that must end in time; a stuck one keeps its thread, and the next gets another. */
  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "translation-under-time-limit");
    thread.setDaemon(true);
    return thread;
  });

  private final SegmentTranslator translator = Translators.defaults();

  // ------------------------------------------------------------------------------------------- generators

  @Provide
  Arbitrary<JsonObject> messages() {
    return JsonArbitraries.message();
  }

  @Provide
  Arbitrary<Received> messagesWithReceivedAt() {
    return JsonArbitraries.messageWithReceivedAt();
  }

  /** Calls whose properties (or traits) are one flat map of scalars under simple keys. */
  @Provide
  Arbitrary<JsonObject> flatMessages() {
    Arbitrary<Map<String, Object>> flat = Combinators.combine(JsonArbitraries.simpleKey(), JsonArbitraries.scalar())
        .as(Tuple::of).list().ofMaxSize(8).map(entries -> {
          Map<String, Object> map = new LinkedHashMap<>();
          entries.forEach(e -> map.put(e.get1(), e.get2()));
          return map;
        });
    return Combinators.combine(Arbitraries.of("track", "page", "screen", "identify"), flat)
        .as((type, properties) -> new JsonObject()
            .put("type", type).put("event", "E").put("userId", "u").put("receivedAt", "2026-12-03T15:49:43.123Z")
            .put(type.equals("identify") ? "traits" : "properties", new JsonObject(properties)));
  }

  // ------------------------------------------------------------------------------------------- properties

  @Property(tries = 500)
  void translationNeverThrowsNorChangesItsInput(@ForAll("messages") JsonObject message) {
    String before = message.encode();

    List<IndicativeItem> items = translate(translator, message);

    assertThat(message.encode()).as("input after translation").isEqualTo(before);
    assertThat(translator.translate(message)).isEqualTo(items);
    assertShape(message, items);
    // The generators must keep producing messages worth translating, or the other properties check little
    // (a run gives about 45 % nothing, 25 % EVENT, 20 % IDENTIFY, 5 % each IDENTIFY+ALIAS and ALIAS, and
    // 20 % with three properties or more).
    Statistics.label("output").collect(items.stream().map(item -> item.kind().name()).reduce((a, b) -> a + "+" + b)
        .orElse("nothing"));
    Statistics.label("output").coverage(checker -> {
      checker.check("nothing").percentage(p -> p < 70);
      checker.check("EVENT").percentage(p -> p > 10);
      checker.check("IDENTIFY").percentage(p -> p > 5);
      checker.check("IDENTIFY+ALIAS").percentage(p -> p > 1);
      checker.check("ALIAS").percentage(p -> p > 1);
    });
    Statistics.label("properties").collect(items.stream().anyMatch(item -> {
      JsonObject properties = item.body().getJsonObject("properties");
      return properties != null && properties.size() >= 3;
    }) ? "3 or more" : "fewer");
    Statistics.label("properties").coverage(checker -> checker.check("3 or more").percentage(p -> p > 5));

    // The same message as the store gives it back: exact numbers, lone surrogates already replaced.
    Optional<JsonObject> stored = stored(message);
    if (stored.isPresent()) {
      List<IndicativeItem> fromStored = translate(translator, stored.get());
      assertShape(stored.get(), fromStored);
    }
  }

  @Property(tries = 300)
  void propertyValuesAreScalars(@ForAll("messages") JsonObject message) {
    for (List<IndicativeItem> items : translations(message)) {
      for (IndicativeItem item : items) {
        Object properties = item.body().getValue("properties");
        if (item.kind() == Kind.ALIAS) {
          assertThat(properties).isNull();
          continue;
        }
        assertThat(properties).isInstanceOf(JsonObject.class);
        ((JsonObject) properties).getMap().forEach((key, value) -> {
          assertThat(value).as("value of %s", key)
              .isNotNull()
              .isNotInstanceOfAny(JsonObject.class, JsonArray.class, Map.class, List.class)
              .isInstanceOfAny(String.class, Number.class, Boolean.class);
          if (value instanceof Double || value instanceof Float) {
            assertThat(Double.isFinite(((Number) value).doubleValue())).as("%s is finite", key).isTrue();
          }
        });
      }
    }
  }

  @Property(tries = 300)
  void itemsEncodeToWhatVertxWouldWrite(@ForAll("messages") JsonObject message) {
    for (List<IndicativeItem> items : translations(message)) {
      for (IndicativeItem item : items) {
        // the same JSON tokens, numbers as written; only how an emoji is written may differ
        assertThat(jsonTokens(ItemEncoder.encode(item.body()))).isEqualTo(jsonTokens(item.body().toBuffer()));
      }
    }
  }

  /** Each token of a JSON text with its text: strings decoded, numbers exactly as written. */
  static List<String> jsonTokens(io.vertx.core.buffer.Buffer json) {
    List<String> tokens = new java.util.ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory()
        .createParser(json.getBytes())) {
      for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null;
           token = parser.nextToken()) {
        tokens.add(token + " " + parser.getText());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return tokens;
  }

  @Property(tries = 300)
  void everyStringIsShortAndWellFormed(@ForAll("messages") JsonObject message) {
    for (List<IndicativeItem> items : translations(message)) {
      for (IndicativeItem item : items) {
        for (String text : strings(item.body())) {
          assertWellFormed(text, MAX);
        }
      }
    }
  }

  @Property(tries = 150)
  void everyStringIsShortAndWellFormedWhateverTheLimit(
      @ForAll("messages") JsonObject message, @ForAll("smallLimits") int limit) {
    SegmentTranslator small = Translators.with(Translators.settings(new JsonObject().put("maxStringLength", limit)));
    for (IndicativeItem item : translate(small, message)) {
      for (String text : strings(item.body())) {
        assertWellFormed(text, limit);
      }
    }
  }

  @Provide
  Arbitrary<Integer> smallLimits() {
    return Arbitraries.of(1, 2, 3, 8);
  }

  @Property(tries = 300)
  void bodiesAreValidJsonThatReadsBackTheSame(@ForAll("messages") JsonObject message)
      throws CharacterCodingException {
    for (List<IndicativeItem> items : translations(message)) {
      for (IndicativeItem item : items) {
        byte[] bytes = item.body().toBuffer().getBytes(); // what delivery sends
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
        // Strict JSON (no NaN, no Infinity, no stray tokens) that holds exactly the body.
        Object reread = readStrictly(bytes);
        assertThat(sameJson(item.body(), reread)).as("%s reads back as %s", item.body(), reread).isTrue();
      }
    }
  }

  @Property(tries = 300)
  void eventTimeIsEpochMillis(@ForAll("messages") JsonObject message) {
    for (List<IndicativeItem> items : translations(message)) {
      for (IndicativeItem item : items) {
        if (item.kind() == Kind.EVENT) {
          assertThat(item.body().getValue("eventTime")).isInstanceOf(Long.class);
        } else {
          assertThat(item.body().containsKey("eventTime")).isFalse();
        }
      }
    }
  }

  @Property(tries = 300)
  void eventTimeIsBelievableWhenReceivedAtIsKnown(@ForAll("messagesWithReceivedAt") Received received) {
    for (List<IndicativeItem> items : translations(received.message())) {
      for (IndicativeItem item : items) {
        if (item.kind() == Kind.EVENT) {
          assertThat(item.body().getValue("eventTime")).isInstanceOf(Long.class);
          long eventTime = item.body().getLong("eventTime");
          assertThat(eventTime).isBetween(JsonArbitraries.YEAR_2000, received.receivedAt() + DAY_MILLIS);
        }
      }
    }
  }

  @Property(tries = 300)
  void idsAreNonBlankStrings(@ForAll("messages") JsonObject message) {
    for (List<IndicativeItem> items : translations(message)) {
      for (IndicativeItem item : items) {
        List<String> fields = switch (item.kind()) {
          case EVENT -> List.of("eventUniqueId");
          case IDENTIFY -> List.of("uniqueId");
          case ALIAS -> List.of("previousId", "newId");
        };
        for (String field : fields) {
          Object id = item.body().getValue(field);
          assertThat(id).as(field).isInstanceOf(String.class);
          assertThat((String) id).as(field).isNotBlank();
        }
      }
    }
  }

  /** A string or integral userId reaches Indicative as its text, every digit kept, cut only beyond the limit. */
  @Property(tries = 300)
  void stringAndIntegerIdsKeepTheirText(@ForAll("messages") JsonObject message) {
    Object userId = message.getValue("userId");
    String expected;
    if (userId instanceof String text && !text.isBlank()) {
      expected = refCut(text, MAX);
    } else if (userId instanceof Integer || userId instanceof Long || userId instanceof BigInteger) {
      expected = refCut(userId.toString(), MAX);
    } else {
      return;
    }
    if (expected.isBlank()) {
      return; // spaces that a cut emoji followed: no id
    }
    for (IndicativeItem item : translate(translator, message)) {
      switch (item.kind()) {
        case EVENT -> assertThat(item.body().getString("eventUniqueId")).isEqualTo(expected);
        case IDENTIFY -> assertThat(item.body().getString("uniqueId")).isEqualTo(expected);
        case ALIAS -> assertThat(item.body().getString("newId")).isEqualTo(expected);
      }
    }
  }

  @Property(tries = 300)
  void translationIsDeterministicAndIgnoresKeyOrder(@ForAll("messages") JsonObject message, @ForAll long seed) {
    List<IndicativeItem> first = translate(translator, message);

    assertThat(translate(translator, message)).isEqualTo(first);
    assertThat(translate(translator, message.copy())).isEqualTo(first);
    JsonObject reordered = (JsonObject) reorder(message, new Random(seed));
    assertThat(same(translate(translator, reordered), first))
        .as("reordered %s%ngives %s%ninstead of %s", reordered.encode(), translate(translator, reordered),
            first)
        .isTrue();
  }

  /** With short limits almost every key collides with another once cut: the winner still must not depend on order. */
  @Property(tries = 150)
  void collisionsResolveTheSameWayWhateverTheKeyOrder(
      @ForAll("messages") JsonObject message, @ForAll("smallLimits") int limit, @ForAll long seed) {
    SegmentTranslator small = Translators.with(Translators.settings(new JsonObject().put("maxStringLength", limit)));
    List<IndicativeItem> first = translate(small, message);
    JsonObject reordered = (JsonObject) reorder(message, new Random(seed));
    assertThat(same(translate(small, reordered), first))
        .as("reordered %s%ngives %s%ninstead of %s", reordered.encode(), translate(small, reordered), first)
        .isTrue();
  }

  /** Flattening invents and drops nothing: flat scalar properties come out as they went in, but for the rules. */
  @Property(tries = 300)
  void flatPropertiesArePreserved(@ForAll("flatMessages") JsonObject message) {
    String type = message.getString("type");
    JsonObject source = message.getJsonObject(type.equals("identify") ? "traits" : "properties");
    Map<String, Object> expected = new LinkedHashMap<>();
    source.getMap().forEach((key, value) -> {
      if (value == null || (value instanceof Double || value instanceof Float)
          && !Double.isFinite(((Number) value).doubleValue())) {
        return; // nulls, NaN and infinities are dropped
      }
      expected.put(key, value instanceof String text ? refCut(text, MAX) : value);
    });
    if (type.equals("identify")) {
      expected.keySet().removeAll(Set.of("id", "userId", "anonymousId"));
    }

    List<IndicativeItem> items = translate(translator, message);

    assertThat(items).hasSize(1);
    assertThat(items.get(0).body().getJsonObject("properties").getMap()).containsExactlyInAnyOrderEntriesOf(expected);
  }

  // ------------------------------------------------------------------------------------------- checks

  /**
   * The translation without the safety net, within {@link #TIME_LIMIT}: a message that keeps the translator busy
   * fails the property instead of stalling it.
   */
  private static List<IndicativeItem> translate(SegmentTranslator translator, JsonObject message) {
    return withinTimeLimit(() -> translator.translateUnguarded(message));
  }

  static <T> T withinTimeLimit(Callable<T> task) {
    Future<T> result = WORKERS.submit(task);
    try {
      return result.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw new AssertionError("took more than " + TIME_LIMIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The translation of the message as given and of the message as the store would give it back. */
  private List<List<IndicativeItem>> translations(JsonObject message) {
    List<List<IndicativeItem>> translations = new ArrayList<>();
    translations.add(translate(translator, message));
    stored(message).ifPresent(stored -> translations.add(translate(translator, stored)));
    return translations;
  }

  /**
   * The message as the store gives it back, or nothing when it holds a number Java prints with an exponent beyond
   * the int range ({@code new BigDecimal(ONE, Integer.MIN_VALUE)} is {@code 1E+2147483648}): no JSON text read by
   * the gateway can make such a message, so it has no stored form.
   */
  static Optional<JsonObject> stored(JsonObject message) {
    byte[] json = message.toBuffer().getBytes();
    try {
      return Optional.of(ExactJson.parseObject(json));
    } catch (RuntimeException e) {
      assertThat(e).hasMessageContaining("Exponent overflow");
      return Optional.empty();
    }
  }

  /**
   * Reads JSON with Jackson's strict defaults, numbers kept as their text: a number such as {@code 1.000E+2147483650}
   * (from a stored {@code 1000E+2147483647}) is valid JSON that Java's BigDecimal cannot read back.
   */
  static Object readStrictly(byte[] json) {
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      Object value = readStrictly(parser, parser.nextToken());
      assertThat(parser.nextToken()).as("trailing content").isNull();
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object readStrictly(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          assertThat(object).as("duplicate key %s", name).doesNotContainKey(name);
          object.put(name, readStrictly(parser, parser.nextToken()));
        }
        yield new JsonObject(object);
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          array.add(readStrictly(parser, next));
        }
        yield new JsonArray(array);
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new NumberText(parser.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + token);
    };
  }

  /** A JSON number as written. */
  record NumberText(String text) {}

  private static void assertShape(JsonObject message, List<IndicativeItem> items) {
    assertThat(items).isNotNull();
    if (!items.isEmpty()) {
      Object type = message.getValue("type");
      assertThat(type).isInstanceOf(String.class);
      ItemInvariants.assertValid(((String) type).toLowerCase(Locale.ROOT), items, MAX);
    }
  }

  static void assertWellFormed(String text, int limit) {
    assertThat(text.length()).as("length of %s", text).isLessThanOrEqualTo(limit);
    assertThat(JsonArbitraries.hasLoneSurrogate(text)).as("lone surrogate in %s", text).isFalse();
  }

  /** Every string of a body that comes from the message: the values, the property keys and the property values. */
  private static List<String> strings(JsonObject body) {
    List<String> strings = new ArrayList<>();
    body.getMap().forEach((field, value) -> {
      if (value instanceof String text) {
        strings.add(text);
      } else if (value instanceof JsonObject properties) {
        properties.getMap().forEach((key, property) -> {
          strings.add(key);
          if (property instanceof String text) {
            strings.add(text);
          }
        });
      }
    });
    return strings;
  }

  /** Items equal in kind and body (bodies as JSON: numbers by value, objects regardless of key order). */
  private static boolean same(List<IndicativeItem> a, List<IndicativeItem> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).kind() != b.get(i).kind() || !sameJson(a.get(i).body(), b.get(i).body())) {
        return false;
      }
    }
    return true;
  }

  static boolean sameJson(Object a, Object b) {
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      if (!x.fieldNames().equals(y.fieldNames())) {
        return false;
      }
      return x.fieldNames().stream().allMatch(k -> sameJson(x.getValue(k), y.getValue(k)));
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!sameJson(x.getValue(i), y.getValue(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y)) == 0; // NaN and infinities have no decimal: they fail here
    }
    if (a instanceof Number x && b instanceof NumberText y) {
      try {
        return decimal(x).compareTo(new BigDecimal(y.text())) == 0;
      } catch (NumberFormatException e) {
        return x instanceof BigDecimal && x.toString().equals(y.text()); // an exponent beyond the int range
      }
    }
    return a == null ? b == null : a.equals(b);
  }

  private static BigDecimal decimal(Number number) {
    if (number instanceof BigDecimal d) {
      return d;
    }
    if (number instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (number instanceof Double || number instanceof Float) {
      return new BigDecimal(number.toString());
    }
    return BigDecimal.valueOf(number.longValue());
  }

  /** The same JSON with the keys of every object in another order. */
  static Object reorder(Object value, Random random) {
    if (value instanceof JsonObject object) {
      return new JsonObject(reorderMap(object.getMap(), random));
    }
    if (value instanceof Map<?, ?> map) {
      return reorderMap(map, random);
    }
    if (value instanceof JsonArray array) {
      return new JsonArray(reorderList(array.getList(), random));
    }
    if (value instanceof List<?> list) {
      return reorderList(list, random);
    }
    return value;
  }

  /** The list's elements in their order (arrays are ordered), each reordered inside. */
  private static List<Object> reorderList(List<?> list, Random random) {
    List<Object> copy = new ArrayList<>();
    list.forEach(v -> copy.add(reorder(v, random)));
    return copy;
  }

  private static Map<String, Object> reorderMap(Map<?, ?> map, Random random) {
    List<Object> keys = new ArrayList<>(map.keySet());
    Collections.shuffle(keys, random);
    Map<String, Object> reordered = new LinkedHashMap<>();
    keys.forEach(k -> reordered.put((String) k, reorder(map.get(k), random)));
    return reordered;
  }

  // ------------------------------------------------------------------------------------------- reference

  /** Lone surrogates replaced by U+FFFD, written independently of the code under test. */
  static String refClean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int codePoint = text.codePointAt(i);
      out.appendCodePoint(Character.isSurrogate((char) codePoint) && Character.charCount(codePoint) == 1
          ? 0xFFFD : codePoint);
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }

  /** The longest run of whole code points of the cleaned text that fits in {@code max} units. */
  static String refCut(String text, int max) {
    String clean = refClean(text);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < clean.length()) {
      int codePoint = clean.codePointAt(i);
      if (out.length() + Character.charCount(codePoint) > max) {
        break;
      }
      out.appendCodePoint(codePoint);
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }
}
