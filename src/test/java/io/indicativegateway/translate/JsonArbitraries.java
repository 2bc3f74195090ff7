package io.indicativegateway.translate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile JSON and of Segment-ish messages for the translator's properties. Sizes are kept modest
 * (objects of at most 5 keys, arrays of at most 4 elements, 3 levels below a message field) so a few hundred tries
 * per property run in seconds, while every value kind the contract talks about keeps showing up.
 */
final class JsonArbitraries {

  static final String EMOJI = "\uD83D\uDE00";

  /** Pieces strings are made of: plain, JSON-special, control, non-ASCII, pairs and both lone halves. */
  private static final List<String> TOKENS = List.of(
      "a", "b", "z", "A", "0", "9", " ", ".", "-", "_", ",", "{", "}", "\"", "\\", "/", "\u0000", "\u0001", "\u001F",
      "\n", "\t", "\u007F", "\u00E9", "\u00DF", "\u4E2D", "\u200B", "\uFEFF", "\uFFFD", "\uFFFF", EMOJI,
      "\uD83C\uDF89", "\uD800", "\uDBFF", "\uDC00", "\uDFFF");

  /** Keys that collide with each other once flattened, or with the fields the translator reads or removes. */
  private static final List<String> INTERESTING_KEYS = List.of(
      "a", "b", "c", "a.b", "a.b.c", "b.c", ".", "..", "a.", ".a", "", " ", "with space", "name", "id", "userId",
      "anonymousId", "groupId", "items", "page", "campaign", "source", "browser", "os", "\u00E9", "\u4E2D\u6587",
      EMOJI, "\uD800", "\uDC00", "k\uD800", "\uD83D", "\u0000", "group", "group.a");

  private static final List<String> USER_AGENTS = List.of(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          + "Version/17.1.2 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
          + "Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 "
          + "Mobile Safari/537.36",
      "curl/8.4.0", "Googlebot/2.1 (+http://www.google.com/bot.html)", "", " ", "Other", "\uD800");

  static final long YEAR_1990 = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
  static final long YEAR_2000 = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long YEAR_2100 = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

  private JsonArbitraries() {}

  // ---------------------------------------------------------------------------------------------- strings

  static Arbitrary<String> token() {
    return Arbitraries.of(TOKENS);
  }

  static Arbitrary<String> shortText() {
    return token().list().ofMaxSize(12).map(JsonArbitraries::join);
  }

  /** 200 to about 700 UTF-16 units: beyond the 255 limit, with lone halves and pairs all along. */
  static Arbitrary<String> longText() {
    return token().list().ofMinSize(200).ofMaxSize(450).map(JsonArbitraries::join);
  }

  /** A filler up to just around 255 units, then a pair, a lone half or another telling unit, then anything. */
  static Arbitrary<String> boundaryText() {
    return Combinators.combine(
            Arbitraries.of("a", " ", "\u4E2D", EMOJI, "\uD800"),
            Arbitraries.integers().between(245, 262),
            Arbitraries.of(EMOJI, EMOJI + EMOJI, "\uD800", "\uDC00", "\uDBFF\uDFFF", "\u0000", "\u00E9", "x"),
            shortText())
        .as((filler, units, special, tail) -> {
          StringBuilder text = new StringBuilder();
          while (text.length() + filler.length() <= units) {
            text.append(filler);
          }
          return text.append(special).append(tail).toString();
        });
  }

  static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, shortText()),
        Tuple.of(2, longText()),
        Tuple.of(2, boundaryText()),
        Tuple.of(1, Arbitraries.of("", " ", " \t\n", "null", "true", "0", "NaN", "Infinity", "1E+400",
            "2026-12-03T15:49:43.123Z")));
  }

  static Arbitrary<String> key() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.of(INTERESTING_KEYS)),
        Tuple.of(3, shortText()),
        Tuple.of(1, Arbitraries.oneOf(longText(), boundaryText())));
  }

  /** Keys that flatten to themselves: not empty, no '.', no lone surrogate, well below the length limit. */
  static Arbitrary<String> simpleKey() {
    return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.of("name", "id", "userId", "anonymousId", "plan", "with space", "\u00E9",
                "\u4E2D\u6587", EMOJI, " ", "\u0000", "k\n", "groupId", "browser")),
            Tuple.of(3, Arbitraries.of(TOKENS).filter(t -> !t.equals(".") && !hasLoneSurrogate(t))
                .list().ofMinSize(1).ofMaxSize(30).map(JsonArbitraries::join)));
  }

  // ---------------------------------------------------------------------------------------------- numbers

  static Arbitrary<Object> number() {
    BigInteger beyondLong = BigInteger.TWO.pow(63);
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().map(i -> (Object) i)),
        Tuple.of(3, Arbitraries.longs().map(l -> (Object) l)),
        Tuple.of(2, Arbitraries.bigIntegers().between(beyondLong, BigInteger.TEN.pow(300))
            .flatMap(big -> Arbitraries.of(big, big.negate())).map(b -> (Object) b)),
        Tuple.of(3, bigDecimal()),
        Tuple.of(2, Arbitraries.doubles().map(d -> (Object) d)),
        Tuple.of(1, Arbitraries.floats().map(f -> (Object) f)),
        Tuple.of(2, Arbitraries.of(
            new BigDecimal("1E+400"), new BigDecimal("-1E+400"), new BigDecimal("1E-400"),
            new BigDecimal("1E+1000000"), new BigDecimal("0E+10"), new BigDecimal("-0.0"), BigDecimal.ZERO,
            new BigDecimal("12345678901234567890.123456789012345678901234567890"),
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
            Double.MAX_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Long.MIN_VALUE, Long.MAX_VALUE,
            Integer.MIN_VALUE, 0, 12345678901234567L, (short) 7, (byte) -1)))
        // jqwik would otherwise inject the ends of every range above as often as everything else put together
        // (they are hundreds); the extreme values that matter are listed.
        .withoutEdgeCases();
  }

  /**
   * Decimals with up to 300 digits and exponents from tiny to huge, out to the ends of the int scale range (some of
   * which print with an exponent beyond the int range: Java cannot read those back, so the store cannot hold them).
   */
  static Arbitrary<Object> bigDecimal() {
    Arbitrary<BigInteger> unscaled = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(-1000), BigInteger.TEN.pow(20))),
        Tuple.of(3, Arbitraries.bigIntegers().between(BigInteger.valueOf(-1_000_000), BigInteger.valueOf(1_000_000))),
        Tuple.of(2, Arbitraries.bigIntegers().between(BigInteger.TEN.pow(60).negate(), BigInteger.TEN.pow(60))),
        Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TEN.pow(300).negate(), BigInteger.TEN.pow(300))));
    Arbitrary<Integer> scale = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(-20, 20)),
        Tuple.of(2, Arbitraries.integers().between(-1_200, 1_200)),
        Tuple.of(2, Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, -1_000_000,
            1_000_000, -100_000_000, 100_000_000)));
    return Combinators.combine(unscaled, scale).as((u, s) -> (Object) new BigDecimal(u, s));
  }

  // ---------------------------------------------------------------------------------------------- JSON

  static Arbitrary<Object> scalar() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, text().map(s -> (Object) s)),
        Tuple.of(4, number()),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  /** Any JSON value, containers nested at most {@code depth} levels. */
  static Arbitrary<Object> value(int depth) {
    if (depth <= 0) {
      return scalar();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(6, scalar()),
        Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1)).map(o -> (Object) o)),
        Tuple.of(2, Arbitraries.lazy(() -> array(depth - 1)).map(a -> (Object) a)));
  }

  static Arbitrary<JsonObject> object(int depth) {
    return Combinators.combine(key(), value(depth)).as(Tuple::of).list().ofMaxSize(5).map(entries -> {
      Map<String, Object> map = new LinkedHashMap<>();
      entries.forEach(e -> map.put(e.get1(), e.get2()));
      return new JsonObject(map);
    });
  }

  static Arbitrary<JsonArray> array(int depth) {
    return value(depth).list().ofMaxSize(4).map(list -> new JsonArray(new ArrayList<>(list)));
  }

  /** What a message's object field may hold: mostly an object, sometimes very deep, sometimes the wrong type. */
  static Arbitrary<Object> objectField() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, object(3).map(o -> (Object) o)),
        Tuple.of(1, deepChain()),
        Tuple.of(1, rawJava()),
        Tuple.of(2, value(1)));
  }

  /** A chain of single-key objects and arrays around the flattener's depth limit, with a leaf at the end. */
  static Arbitrary<Object> deepChain() {
    return Combinators.combine(Arbitraries.integers().between(60, 70), key(), scalar(), Arbitraries.of(true, false))
        .as((levels, key, leaf, arrays) -> {
          Object value = leaf;
          for (int i = 0; i < levels; i++) {
            value = arrays && i % 3 == 1 ? new JsonArray().add(value) : new JsonObject().put(key, value);
          }
          return value;
        });
  }

  /** A plain Java map or list inside the message, as a JsonObject built in code may hold, and non-JSON scalars. */
  static Arbitrary<Object> rawJava() {
    return Combinators.combine(key(), scalar(), Arbitraries.integers().between(0, 3)).as((key, leaf, kind) -> {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put(key, leaf);
      map.put("list", new ArrayList<>(java.util.Arrays.asList(leaf, Map.of("k", "v"))));
      return switch (kind) {
        case 0 -> map;
        case 1 -> new ArrayList<>(List.of(map));
        case 2 -> Map.of("at", Instant.ofEpochSecond(1_800_000_000L), "bytes", new byte[] {1, 2, 3});
        default -> new LinkedHashMap<>(Map.of("enum", java.time.DayOfWeek.MONDAY));
      };
    });
  }

  // ---------------------------------------------------------------------------------------------- times

  /** An ISO-8601 text in one of the forms Segment clients send, and the epoch millis it stands for. */
  record TimeText(String text, long millis) {}

  static Arbitrary<TimeText> isoTime(long fromMillis, long toMillis) {
    return Combinators.combine(
            Arbitraries.longs().between(fromMillis, toMillis),
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(-12 * 4, 14 * 4).map(quarters -> quarters * 15 * 60),
            Arbitraries.integers().between(0, 12))
        .as(JsonArbitraries::isoTime);
  }

  private static TimeText isoTime(long millis, int style, int offsetSeconds, int fractionDigits) {
    if (style == 9) {
      String text = Instant.ofEpochMilli(millis).toString();
      return new TimeText(text, millis);
    }
    boolean noZone = style == 4;
    ZoneOffset offset = noZone ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offsetSeconds);
    LocalDateTime local = OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), offset).toLocalDateTime();
    LocalDate date = local.toLocalDate();
    if (style == 7) {
      // A date alone is its midnight UTC, whatever the offset would have been.
      return new TimeText(date.toString(), date.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1000);
    }
    String fraction = "";
    long keptMillis = 0;
    if (style != 8) {
      String nanos = String.format("%09d", local.getNano());
      fraction = fractionDigits == 0 ? "" : "." + (nanos + "000").substring(0, fractionDigits);
      int kept = Math.min(fractionDigits, 3);
      keptMillis = kept == 0 ? 0 : Long.parseLong(nanos.substring(0, kept)) * (long) Math.pow(10, 3 - kept);
    }
    String time = String.format("%02d:%02d", local.getHour(), local.getMinute())
        + (style == 8 ? "" : String.format(":%02d", local.getSecond()) + fraction);
    boolean utc = offset.getTotalSeconds() == 0;
    String offsetId = utc ? "+00:00" : offset.getId();
    String zone = switch (style) {
      case 0, 8 -> utc ? "Z" : offsetId;
      case 2 -> offsetId.replace(":", "");
      case 3 -> offset.getTotalSeconds() % 3600 == 0 ? offsetId.substring(0, 3) : offsetId;
      case 4 -> "";
      case 5 -> utc ? "z" : offsetId;
      default -> offsetId;
    };
    char separator = style == 5 ? 't' : style == 6 ? ' ' : 'T';
    LocalDateTime kept = style == 8 ? local.withSecond(0).withNano(0) : local.withNano(0);
    long expected = kept.toEpochSecond(offset) * 1000 + keptMillis;
    return new TimeText(date + String.valueOf(separator) + time + zone, expected);
  }

  /** Whatever a client may put in a time field: ISO texts, epoch numbers, junk, wrong types. */
  static Arbitrary<Object> timeValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, isoTime(YEAR_1990, YEAR_2100).map(t -> (Object) t.text())),
        Tuple.of(2, Arbitraries.longs().between(YEAR_1990, YEAR_2100).flatMap(ms -> Arbitraries.of(
            ms, ms / 1000, new BigDecimal(ms).movePointLeft(3), String.valueOf(ms), ms / 1000.0, " " + ms / 1000 + " ",
            new BigDecimal(ms).movePointLeft(3).toString() + "e0")).map(v -> (Object) v)),
        Tuple.of(2, Arbitraries.of("", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30", "2026-12-03T24:00:00Z",
            "2026-12-03T15:49:43+19:00", "9999-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z", "10000-01-01",
            "-2026-01-01", "2026-12-03T15:49:43.1234567891234Z", "1.e5", "5.", "+17e2", "1e9999", "0E+2147483647",
            "1E-2147483647", "1E-100000000", "-1E-100000000", "\uD800").map(v -> (Object) v)),
        Tuple.of(2, number()),
        Tuple.of(1, value(1)));
  }

  // ---------------------------------------------------------------------------------------------- messages

  static final List<String> TYPES = List.of("track", "page", "screen", "identify", "alias", "group");

  static Arbitrary<Object> type() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of(TYPES).map(t -> (Object) t)),
        Tuple.of(2, Arbitraries.of("TRACK", "Page", "SCREEN", "Identify", "ALIAS", "gRoUp").map(t -> (Object) t)),
        Tuple.of(1, Arbitraries.of("", "unknown", "batch", " track", "track ", "\uD800").map(t -> (Object) t)),
        Tuple.of(1, value(1)));
  }

  static Arbitrary<Object> idValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.of("u1", "u2", "anon-1", "user@example.com", "42").map(v -> (Object) v)),
        Tuple.of(3, text().map(v -> (Object) v)),
        Tuple.of(3, number()),
        Tuple.of(1, value(1)));
  }

  static Arbitrary<Object> context() {
    Arbitrary<Object> userAgent = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(USER_AGENTS).map(v -> (Object) v)),
        Tuple.of(1, text().map(v -> (Object) v)),
        Tuple.of(1, value(1)));
    Arbitrary<Object> object = Combinators.combine(
            field("userAgent", userAgent, 60),
            field("user_agent", userAgent, 15),
            field("page", objectField(), 40),
            field("campaign", objectField(), 40),
            field("traits", objectField(), 40),
            field("library", objectField(), 20),
            extraFields())
        .as((a, b, c, d, e, f, extra) -> (Object) message(List.of(a, b, c, d, e, f), extra));
    return Arbitraries.frequencyOf(Tuple.of(10, object), Tuple.of(1, value(1)));
  }

  /** A Segment-ish message: each field present or not, usually of the right type, anything otherwise. */
  static Arbitrary<JsonObject> message() {
    Arbitrary<Object> textOrAny = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("Order Completed", "Signed Up", "Home", "E").map(v -> (Object) v)),
        Tuple.of(3, text().map(v -> (Object) v)),
        Tuple.of(1, value(1)));
    List<Arbitrary<Optional<Field>>> fields = List.of(
        field("type", type(), 97),
        field("userId", idValue(), 70),
        field("anonymousId", idValue(), 70),
        field("previousId", idValue(), 40),
        field("groupId", idValue(), 40),
        field("event", textOrAny, 80),
        field("name", textOrAny, 35),
        field("properties", objectField(), 80),
        field("traits", objectField(), 60),
        field("context", context(), 60),
        field("receivedAt", receivedAt(), 90),
        field("timestamp", timeValue(), 60),
        field("sentAt", timeValue(), 50),
        field("originalTimestamp", timeValue(), 25));
    return Combinators.combine(Combinators.combine(fields).as(list -> list), extraFields())
        .as(JsonArbitraries::message)
        // Without this, jqwik injects the edge cases of the parts (hundreds: the ends of every range) so often that
        // most messages fail on their type or id and translate to nothing; the weights above are what is meant.
        .withoutEdgeCases();
  }

  /** Mostly what ingestion writes (an ISO instant from 2000 on), otherwise anything a time field may hold. */
  static Arbitrary<Object> receivedAt() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(YEAR_2000, YEAR_2100)
            .map(ms -> (Object) Instant.ofEpochMilli(ms).toString())),
        Tuple.of(1, timeValue()));
  }

  /** A message with a receivedAt as ingestion writes it (an ISO instant from 2000 on) and its epoch millis. */
  record Received(JsonObject message, long receivedAt) {}

  static Arbitrary<Received> messageWithReceivedAt() {
    return Combinators.combine(message(), Arbitraries.longs().between(YEAR_2000, YEAR_2100))
        .as((message, receivedAt) -> new Received(
            new JsonObject(new LinkedHashMap<>(message.getMap()))
                .put("receivedAt", Instant.ofEpochMilli(receivedAt).toString()),
            receivedAt));
  }

  record Field(String key, Object value) {}

  static Arbitrary<Optional<Field>> field(String key, Arbitrary<Object> value, int percentPresent) {
    Arbitrary<Optional<Field>> present = value.map(v -> Optional.of(new Field(key, v)));
    return Arbitraries.frequencyOf(
        Tuple.of(percentPresent, present),
        Tuple.of(100 - percentPresent, Arbitraries.just(Optional.<Field>empty())));
  }

  /** A few more keys of any name, which may also replace a field set before them. */
  private static Arbitrary<List<Tuple.Tuple2<String, Object>>> extraFields() {
    return Combinators.combine(key(), value(1)).as(Tuple::of).list().ofMaxSize(2);
  }

  private static JsonObject message(List<Optional<Field>> fields, List<Tuple.Tuple2<String, Object>> extra) {
    Map<String, Object> map = new LinkedHashMap<>();
    fields.forEach(f -> f.ifPresent(field -> map.put(field.key(), field.value())));
    extra.forEach(e -> map.put(e.get1(), e.get2()));
    return new JsonObject(map);
  }

  // ---------------------------------------------------------------------------------------------- helpers

  static String join(List<String> parts) {
    return String.join("", parts);
  }

  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
