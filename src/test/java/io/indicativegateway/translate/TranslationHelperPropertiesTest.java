package io.indicativegateway.translate;

import static io.indicativegateway.translate.TranslatorPropertiesTest.refClean;
import static io.indicativegateway.translate.TranslatorPropertiesTest.refCut;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.json.ExactJson;
import io.indicativegateway.translate.JsonArbitraries.TimeText;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the translator's helpers: the string cut, the flattener, id formatting and time parsing. */
class TranslationHelperPropertiesTest {

  @Provide
  Arbitrary<String> texts() {
    return JsonArbitraries.text();
  }

  @Provide
  Arbitrary<JsonObject> objects() {
    return JsonArbitraries.object(4);
  }

  @Provide
  Arbitrary<Object> numbers() {
    return JsonArbitraries.number();
  }

  @Provide
  Arbitrary<TimeText> isoTimes() {
    return JsonArbitraries.isoTime(JsonArbitraries.YEAR_1990 - 400L * 365 * 24 * 3600 * 1000,
        JsonArbitraries.YEAR_2100);
  }

  @Provide
  Arbitrary<Object> anyValues() {
    return JsonArbitraries.timeValue();
  }

  // ------------------------------------------------------------------------------------------- Utf16Truncator

  @Property(tries = 1000)
  void truncationKeepsTheLongestWellFormedPrefix(
      @ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 300) int max) {
    String cut = Utf16Truncator.truncate(text, max);

    assertThat(cut.length()).isLessThanOrEqualTo(max);
    assertThat(refClean(text)).startsWith(cut);
    assertThat(JsonArbitraries.hasLoneSurrogate(cut)).isFalse();
    if (!cut.isEmpty()) {
      assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    }
    // Nothing is dropped that could have been kept: the cut stops only where the next code point would not fit.
    assertThat(cut).isEqualTo(refCut(text, max));
  }

  @Property(tries = 1000)
  void loneSurrogateReplacementAgreesWithTheStore(@ForAll("texts") String text) {
    String clean = Utf16Truncator.replaceLoneSurrogates(text);

    assertThat(clean).hasSameSizeAs(text);
    assertThat(clean).isEqualTo(ExactJson.clean(text)).isEqualTo(refClean(text));
    assertThat(Utf16Truncator.replaceLoneSurrogates(clean)).isEqualTo(clean);
  }

  // ------------------------------------------------------------------------------------------- PropertyFlattener

  @Property(tries = 300)
  void flatteningGivesShortScalarsUnderShortKeys(
      @ForAll("objects") JsonObject source, @ForAll @IntRange(min = 1, max = 300) int max) {
    Map<String, Object> flat = new PropertyFlattener(max).flatten(source);

    flat.forEach((key, value) -> {
      assertThat(key).isNotEmpty();
      TranslatorPropertiesTest.assertWellFormed(key, max);
      assertThat(value).isInstanceOfAny(String.class, Number.class, Boolean.class);
      if (value instanceof String text) {
        TranslatorPropertiesTest.assertWellFormed(text, max);
      }
    });
  }

  @Property(tries = 300)
  void flatteningIgnoresKeyOrder(
      @ForAll("objects") JsonObject source, @ForAll("limits") int max, @ForAll long seed) {
    PropertyFlattener flattener = new PropertyFlattener(max);
    JsonObject reordered = (JsonObject) TranslatorPropertiesTest.reorder(source, new Random(seed));

    Map<String, Object> flat = flattener.flatten(source);
    Map<String, Object> again = flattener.flatten(reordered);

    assertThat(again).as("%s%nreordered as %s", source.encode(), reordered.encode()).isEqualTo(flat);
  }

  @Provide
  Arbitrary<Integer> limits() {
    return Arbitraries.of(1, 2, 3, 5, 8, 255);
  }

  // ------------------------------------------------------------------------------------------- IdFormatter

  @Property(tries = 1000)
  void numericIdsKeepTheirValueInPlainDigits(@ForAll("numbers") Object number) {
    String id = IdFormatter.format(number);

    if (number instanceof Integer || number instanceof Long || number instanceof BigInteger) {
      assertThat(id).isEqualTo(number.toString());
    } else if (id != null) {
      assertThat(id).doesNotContain("E", "e").doesNotEndWith(".");
      BigDecimal expected = number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
      assertThat(new BigDecimal(id)).isEqualByComparingTo(expected);
    } else {
      // Absent only when not finite, or when the plain digits would be absurdly many.
      boolean notFinite = (number instanceof Double || number instanceof Float)
          && !Double.isFinite(((Number) number).doubleValue());
      assertThat(notFinite || number instanceof BigDecimal d && plainDigits(d) > 1_000)
          .as("%s formats as null", number).isTrue();
    }
  }

  /** Digits of the plain form; beyond counting when stripping the zeros takes the scale out of the int range. */
  private static long plainDigits(BigDecimal value) {
    try {
      BigDecimal stripped = value.stripTrailingZeros();
      return (long) stripped.precision() + Math.abs((long) stripped.scale());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  // ------------------------------------------------------------------------------------------- times

  @Property(tries = 1000)
  void isoTimesParseToTheirInstant(@ForAll("isoTimes") TimeText time) {
    assertThat(TimestampParser.toEpochMillis(time.text())).as(time.text()).hasValue(time.millis());
  }

  /** Quickly, too: a 13-character 1E-100000000 once took minutes. */
  @Property(tries = 1000)
  void anyTimeValueParsesWithinTheYears0000To9999OrNotAtAll(@ForAll("anyValues") Object value) {
    OptionalLong millis = TranslatorPropertiesTest.withinTimeLimit(() -> TimestampParser.toEpochMillis(value));

    millis.ifPresent(m -> assertThat(m).isBetween(-62_167_219_200_000L, 253_402_300_799_999L));
  }
}
