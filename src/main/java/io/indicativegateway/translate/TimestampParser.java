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
      OptionalLong canonical = canonicalIso(trimmed);
      if (canonical != null) {
        return canonical;
      }
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

  /**
   * The shape nearly every SDK sends ({@code 2026-12-03T15:49:43.123Z} or with {@code +hh:mm}), read by position:
   * the regexes below cost most of a translation. Null when the text has another shape (the general path then
   * decides); the same value as the general path otherwise.
   */
  static OptionalLong canonicalIso(String s) {
    int length = s.length();
    if (length < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':'
        || "Tt ".indexOf(s.charAt(10)) < 0) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.' || s.charAt(i) == ',') {
      int scale = 100_000_000;
      i++;
      int start = i;
      while (i < length && Character.isDigit(s.charAt(i))) {
        if (scale > 0) {
          nanos += (s.charAt(i) - '0') * scale;
          scale /= 10;
        }
        i++;
      }
      if (i == start || i >= length) {
        return null;
      }
    }
    ZoneOffset offset;
    char zone = s.charAt(i);
    if ((zone == 'Z' || zone == 'z') && i == length - 1) {
      offset = ZoneOffset.UTC;
    } else if ((zone == '+' || zone == '-') && (length - i == 6 && s.charAt(i + 3) == ':' || length - i == 5)) {
      int hours = digits(s, i + 1, 2);
      int minutes = digits(s, length - 2, 2);
      if ((hours | minutes) < 0) {
        return null;
      }
      int sign = zone == '-' ? -1 : 1;
      try {
        offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
      } catch (DateTimeException e) {
        return OptionalLong.empty();
      }
    } else {
      return null;
    }
    try {
      LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
      return OptionalLong.of(local.toEpochSecond(offset) * 1000 + nanos / 1_000_000);
    } catch (DateTimeException e) {
      return OptionalLong.empty(); // month 13, hour 25 and the like
    }
  }

  /** The general path alone, for tests comparing it with {@link #canonicalIso}. */
  static OptionalLong generalForTests(String text) {
    return NUMBER.matcher(text).matches() ? fromDecimal(new BigDecimal(text)) : fromIso(text);
  }

  /** The decimal number in s[from, from+count), or -1 if a character there is not a digit. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
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
