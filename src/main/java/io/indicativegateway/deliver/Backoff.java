package io.indicativegateway.deliver;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying Indicative again: exponential backoff with full jitter (a random delay between
 * zero and {@code min(cap, base * 2^attempt)}), so many gateways retrying together spread out; a
 * {@code Retry-After} from Indicative wins over the computed delay.
 */
final class Backoff {

  /** Longest Retry-After we honour, so a bogus header cannot park a project for days. */
  static final long MAX_RETRY_AFTER_MS = 3_600_000;

  private final long baseMs;
  private final long capMs;
  private final RandomGenerator random;

  Backoff(long baseMs, long capMs, RandomGenerator random) {
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.random = random;
  }

  /** Delay before retry number {@code attempt} (0 for the first retry). */
  long delayMs(int attempt, OptionalLong retryAfterMs) {
    if (retryAfterMs.isPresent()) {
      return Math.min(retryAfterMs.getAsLong(), MAX_RETRY_AFTER_MS);
    }
    long ceiling = Math.min(capMs, baseMs << Math.min(attempt, 30));
    return random.nextLong(ceiling + 1);
  }

  /** A random delay in [min, max]. */
  long between(long min, long max) {
    return min + random.nextLong(Math.max(1, max - min + 1));
  }

  /** A Retry-After header as milliseconds: delta-seconds or an HTTP date; empty when absent or unreadable. */
  static OptionalLong retryAfterMillis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return OptionalLong.empty();
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? OptionalLong.empty() : OptionalLong.of(Math.min(seconds, MAX_RETRY_AFTER_MS / 1000) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return OptionalLong.of(Math.max(0, at.toEpochMilli() - now.toEpochMilli()));
      } catch (DateTimeParseException notADate) {
        return OptionalLong.empty();
      }
    }
  }
}
