package io.indicativegateway.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(100, 10_000, new SplittableRandom(7));

  @Test
  void fullJitterStaysBetweenZeroAndTheExponentialCeilingCappedByTheCap() {
    long maxSeenAttempt0 = 0;
    long maxSeenAttempt3 = 0;
    long maxSeenAttempt20 = 0;
    long minSeen = Long.MAX_VALUE;
    for (int i = 0; i < 5_000; i++) {
      long d0 = backoff.delayMs(0, OptionalLong.empty());
      long d3 = backoff.delayMs(3, OptionalLong.empty());
      long d20 = backoff.delayMs(20, OptionalLong.empty());
      maxSeenAttempt0 = Math.max(maxSeenAttempt0, d0);
      maxSeenAttempt3 = Math.max(maxSeenAttempt3, d3);
      maxSeenAttempt20 = Math.max(maxSeenAttempt20, d20);
      minSeen = Math.min(minSeen, Math.min(d0, Math.min(d3, d20)));
    }
    assertThat(maxSeenAttempt0).isBetween(90L, 100L);
    assertThat(maxSeenAttempt3).isBetween(700L, 800L);
    assertThat(maxSeenAttempt20).isBetween(9_000L, 10_000L);
    assertThat(minSeen).isLessThan(10);
  }

  @Test
  void retryAfterWinsOverTheComputedDelay() {
    assertThat(backoff.delayMs(0, OptionalLong.of(3000))).isEqualTo(3000);
    assertThat(backoff.delayMs(9, OptionalLong.of(0))).isZero();
    assertThat(backoff.delayMs(0, OptionalLong.of(Long.MAX_VALUE))).isEqualTo(Backoff.MAX_RETRY_AFTER_MS);
  }

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    assertThat(Backoff.retryAfterMillis("7", now)).hasValue(7000);
    assertThat(Backoff.retryAfterMillis(" 0 ", now)).hasValue(0);
    assertThat(Backoff.retryAfterMillis("Thu, 03 Dec 2026 12:00:30 GMT", now)).hasValue(30_000);
    assertThat(Backoff.retryAfterMillis("Thu, 03 Dec 2026 11:00:00 GMT", now)).hasValue(0);
    assertThat(Backoff.retryAfterMillis("-5", now)).isEmpty();
    assertThat(Backoff.retryAfterMillis("soon", now)).isEmpty();
    assertThat(Backoff.retryAfterMillis(null, now)).isEmpty();
  }
}
