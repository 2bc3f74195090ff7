package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The by-position reading of the common ISO shape gives exactly what the general (regex) path gives. */
class TimestampFastPathTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-12-03T15:49:43Z", "2026-12-03T15:49:43.123Z", "2026-12-03t15:49:43.1z", "2026-12-03 15:49:43.123456789Z",
      "2026-12-03T15:49:43.1234567891234Z", "2026-12-03T15:49:43,5Z", "2026-12-03T15:49:43.123+02:00",
      "2026-12-03T15:49:43-0530", "2015-02-23T22:28:55.111Z", "2026-13-03T15:49:43Z", "2026-02-30T15:49:43Z",
      "2026-12-03T25:49:43Z", "2026-12-03T15:49:43+19:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"})
  void agreesWithTheGeneralPath(String text) {
    OptionalLong fast = TimestampParser.canonicalIso(text);
    assertThat(fast).as("handled by the fast path").isNotNull();
    assertThat(fast).isEqualTo(TimestampParser.generalForTests(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-03", "2026-12-03T15:49", "2026-12-03T15:49:43", "2026-12-03T15:49:43+02",
      "1700000000000", "yesterday", "2026-12-03T15:49:43.Z", "2026-12-03T15:49:43.123Zjunk"})
  void leavesOtherShapesToTheGeneralPath(String text) {
    assertThat(TimestampParser.canonicalIso(text)).isNull();
  }
}
