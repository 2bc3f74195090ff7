package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf16TruncatorTest {

  private static final String EMOJI = "\uD83D\uDE00";

  @ParameterizedTest(name = "emoji starting at unit {0} of a 255 limit")
  @ValueSource(ints = {0, 100, 252, 253, 254, 255, 256})
  void neverSplitsAPairAndKeepsWhatFits(int start) {
    String text = "a".repeat(start) + EMOJI + "b".repeat(300);

    String cut = Utf16Truncator.truncate(text, 255);

    assertThat(cut.length()).isLessThanOrEqualTo(255);
    assertThat(ItemInvariants.hasLoneSurrogate(cut)).isFalse();
    assertThat(text).startsWith(cut);
    boolean emojiFits = start + 2 <= 255;
    assertThat(cut.contains(EMOJI)).isEqualTo(emojiFits);
    // Nothing is lost that could have been kept: either all 255 units, or the unit before a dropped pair.
    assertThat(cut.length()).isEqualTo(start == 254 ? 254 : 255);
  }

  @Test
  void shortStringsWithoutSurrogatesAreReturnedAsIs() {
    String text = "plain text";

    assertThat(Utf16Truncator.truncate(text, 255)).isSameAs(text);
  }

  @Test
  void loneSurrogatesAreReplacedEverywhere() {
    assertThat(Utf16Truncator.replaceLoneSurrogates("\uD800")).isEqualTo("\uFFFD");
    assertThat(Utf16Truncator.replaceLoneSurrogates("\uDC00\uD800")).isEqualTo("\uFFFD\uFFFD");
    assertThat(Utf16Truncator.replaceLoneSurrogates("a" + EMOJI + "\uDE00b")).isEqualTo("a" + EMOJI + "\uFFFDb");
    assertThat(Utf16Truncator.replaceLoneSurrogates(EMOJI + EMOJI)).isEqualTo(EMOJI + EMOJI);
  }

  @Test
  void replacementKeepsTheLength() {
    String text = "x".repeat(254) + "\uD83D" + "y";

    assertThat(Utf16Truncator.truncate(text, 255)).isEqualTo("x".repeat(254) + "\uFFFD");
  }

  @Test
  void hugeStringsCostOnlyTheKeptPart() {
    String huge = "\uD83D".repeat(5_000_000);

    assertThat(Utf16Truncator.truncate(huge, 10)).isEqualTo("\uFFFD".repeat(10));
  }
}
