package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.json.ExactJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs the translator properties ({@link TranslatorPropertiesTest}, {@link TranslationHelperPropertiesTest})
 * found to break it, kept as plain examples. Each message is read from JSON text with {@link ExactJson}, as the
 * translator reads stored messages.
 */
class PropertyCounterexamplesTest {

  private static final String RECEIVED_AT = "2026-12-03T15:49:43.123Z";

  /**
   * Stripping the zeros of {@code 1000E+2147483647} takes its scale out of the int range: IdFormatter threw
   * ArithmeticException, so such an id failed the validator and cost the whole message in the translator.
   */
  @Test
  void numericIdWhoseZerosCannotBeStrippedIsAbsentInsteadOfAFailure() {
    assertThat(IdFormatter.format(new BigDecimal("1000E+2147483647"))).isNull();
    assertThat(IdFormatter.format(new BigDecimal("-1000E+2147483647"))).isNull();

    List<IndicativeItem> items = Translators.defaults().translateUnguarded(stored(
        "{\"type\":\"track\",\"event\":\"E\",\"userId\":-1000E+2147483647,\"anonymousId\":\"a\","
            + "\"receivedAt\":\"" + RECEIVED_AT + "\"}"));

    assertThat(items).hasSize(1);
    assertThat(items.get(0).body().getString("eventUniqueId")).isEqualTo("a");
  }

  /**
   * An id of 254 spaces and an emoji is not blank, but the emoji straddles the 255-unit limit and is dropped whole:
   * the alias went out with a previousId of spaces only.
   */
  @Test
  void idThatIsBlankOnceCutIsAbsent() {
    String spacesThenEmoji = " ".repeat(254) + "\uD83D\uDE00";

    List<IndicativeItem> items = Translators.defaults().translateUnguarded(stored(
        "{\"type\":\"identify\",\"userId\":\"u1\",\"anonymousId\":\"" + spacesThenEmoji + "\","
            + "\"receivedAt\":\"" + RECEIVED_AT + "\"}"));

    assertThat(items).extracting(IndicativeItem::kind).containsExactly(IndicativeItem.Kind.IDENTIFY);
    assertThat(items.get(0).body().getString("uniqueId")).isEqualTo("u1");
    assertThat(Translators.defaults().translateUnguarded(stored(
        "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"" + spacesThenEmoji + "\",\"anonymousId\":\"a\","
            + "\"receivedAt\":\"" + RECEIVED_AT + "\"}")).get(0).body().getString("eventUniqueId")).isEqualTo("a");
  }

  /**
   * A time of {@code 1E-2147483647} made flooring it to milliseconds compute ten to the power of its scale, which
   * BigInteger refuses: the exception cost the whole event instead of counting as an unbelievable time.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "\"timestamp\":1E-2147483647",
      "\"originalTimestamp\":1E-2147483647",
      "\"timestamp\":\"2026-12-03T15:40:00Z\",\"sentAt\":1E-2147483647"})
  void tinyTimeWithAHugeScaleIsJustUnbelievable(String times) {
    List<IndicativeItem> items = Translators.defaults().translateUnguarded(stored(
        "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"receivedAt\":\"" + RECEIVED_AT + "\"," + times + "}"));

    assertThat(items).hasSize(1);
    long eventTime = items.get(0).body().getLong("eventTime");
    assertThat(eventTime).isBetween(EventTimeResolver.EARLIEST, Instant.parse(RECEIVED_AT).toEpochMilli());
  }

  /**
   * A 13-character time of {@code 1E-100000000} kept one translation busy for minutes (flooring it computed a
   * power of ten with a hundred million digits); it is an unbelievable time like any other.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void tinyTimeIsCheapToReject() {
    for (String time : new String[] {"1E-100000000", "-1E-100000000", "0E-100000000", "1E-10000000"}) {
      List<IndicativeItem> items = Translators.defaults().translateUnguarded(stored(
          "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"timestamp\":" + time
              + ",\"receivedAt\":\"" + RECEIVED_AT + "\"}"));

      assertThat(items).as(time).hasSize(1);
      assertThat(items.get(0).body().getLong("eventTime")).as(time).isEqualTo(Instant.parse(RECEIVED_AT).toEpochMilli());
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void tinyTimesStillFloorToWholeMilliseconds() {
    assertThat(TimestampParser.toEpochMillis(new BigDecimal("1E-100000000"))).hasValue(0);
    assertThat(TimestampParser.toEpochMillis(new BigDecimal("-1E-100000000"))).hasValue(-1);
    assertThat(TimestampParser.toEpochMillis(new BigDecimal("0E-100000000"))).hasValue(0);
    assertThat(TimestampParser.toEpochMillis(new BigDecimal("0.0001"))).hasValue(0); // 0.1 ms
    assertThat(TimestampParser.toEpochMillis(new BigDecimal("-0.0001"))).hasValue(-1);
    assertThat(TimestampParser.toEpochMillis(new BigDecimal("1.5"))).hasValue(1_500);
  }

  private static io.vertx.core.json.JsonObject stored(String json) {
    return ExactJson.parseObject(json.getBytes(StandardCharsets.UTF_8));
  }
}
