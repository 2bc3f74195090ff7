package io.indicativegateway.translate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time formats Segment clients send as epoch milliseconds.
 *
 * <ul>
 *   <li>ISO-8601: {@code 2026-12-03T15:49:43.123Z}, with {@code Z}, {@code +hh:mm}, {@code +hhmm} or {@code +hh},
 *       any number of fraction digits (beyond nanoseconds they are ignored) or none, seconds optional, {@code t},
 *       {@code z} or a space tolerated. No zone at all means UTC. A date alone means its midnight UTC.</li>
 *   <li>Numbers, and strings holding only a number: epoch milliseconds, or epoch seconds when the absolute value
 *       is below 10^11 (10^11 seconds is the year 5138, 10^11 milliseconds is March 1973, so the two ranges
 *       that matter cannot be confused).</li>
 * </ul>
 *
 * <p>Anything else, and anything outside the years 0000–9999, is unparseable: the result is empty, never an
 * exception.
 */
final class TimestampParser {

  private static final Pattern ISO = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})"
          + "(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d*))?)?)?"
          + "\\s*(?:([Zz])|([+-])(\\d{2})(?::?(\\d{2}))?)?");

  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d{1,4})?");

  /** Longest string looked at; real timestamps are about 30 characters. */
  private static final int MAX_TEXT_LENGTH = 64;

  private static final BigDecimal SECONDS_BELOW = BigDecimal.valueOf(100_000_000_000L);
  private static final BigDecimal MIN_MILLIS = BigDecimal.valueOf(-62_167_219_200_000L); // 0000-01-01T00:00:00Z
  private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(253_402_300_799_999L); // 9999-12-31T23:59:59.999Z

  private TimestampParser() {}

  static OptionalLong toEpochMillis(Object value) {
    if (value instanceof Number number) {
      return fromNumber(number);
    }
    if (value instanceof CharSequence text && text.length() <= MAX_TEXT_LENGTH) {
      String trimmed = text.toString().trim();
      if (NUMBER.matcher(trimmed).matches()) {
        return fromDecimal(new BigDecimal(trimmed));
      }
      return fromIso(trimmed);
    }
    return OptionalLong.empty();
  }

  private static OptionalLong fromNumber(Number number) {
    if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
      return fromDecimal(BigDecimal.valueOf(number.longValue()));
    }
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? fromDecimal(BigDecimal.valueOf(d)) : OptionalLong.empty();
    }
    if (number instanceof BigInteger big) {
      return big.bitLength() > 63 ? OptionalLong.empty() : fromDecimal(new BigDecimal(big));
    }
    if (number instanceof BigDecimal decimal) {
      return fromDecimal(decimal);
    }
    return OptionalLong.empty();
  }

  private static OptionalLong fromDecimal(BigDecimal value) {
    BigDecimal millis = value.abs().compareTo(SECONDS_BELOW) < 0 ? value.movePointRight(3) : value;
    if (millis.compareTo(MIN_MILLIS) < 0 || millis.compareTo(MAX_MILLIS) > 0) {
      return OptionalLong.empty();
    }
    if ((long) millis.precision() - millis.scale() <= 0) {
      // |millis| < 1. Flooring such a number with setScale computes ten to the power of its scale: minutes of CPU
      // for 1E-100000000, an ArithmeticException for 1E-2147483647. The floor is known without it.
      return OptionalLong.of(millis.signum() < 0 ? -1 : 0);
    }
    return OptionalLong.of(millis.setScale(0, RoundingMode.FLOOR).longValueExact());
  }

  private static OptionalLong fromIso(String text) {
    Matcher m = ISO.matcher(text);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      LocalDateTime local = LocalDateTime.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          intOrZero(m.group(4)), intOrZero(m.group(5)), intOrZero(m.group(6)), nanos(m.group(7)));
      ZoneOffset offset = ZoneOffset.UTC;
      if (m.group(9) != null) {
        int sign = m.group(9).equals("-") ? -1 : 1;
        offset = ZoneOffset.ofHoursMinutes(sign * Integer.parseInt(m.group(10)), sign * intOrZero(m.group(11)));
      }
      return OptionalLong.of(local.toEpochSecond(offset) * 1000 + local.getNano() / 1_000_000);
    } catch (DateTimeException e) {
      return OptionalLong.empty(); // month 13, hour 25, offset +19:00 and the like
    }
  }

  private static int intOrZero(String digits) {
    return digits == null ? 0 : Integer.parseInt(digits);
  }

  private static int nanos(String fraction) {
    if (fraction == null || fraction.isEmpty()) {
      return 0;
    }
    String nine = fraction.length() >= 9 ? fraction.substring(0, 9) : (fraction + "000000000").substring(0, 9);
    return Integer.parseInt(nine);
  }
}
