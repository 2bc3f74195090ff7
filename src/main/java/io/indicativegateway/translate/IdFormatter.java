package io.indicativegateway.translate;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Turns a Segment id ({@code userId}, {@code anonymousId}, {@code previousId}, {@code groupId}) into the string
 * Indicative gets.
 *
 * <p>Numeric ids keep every digit and never use scientific notation: a long or big integer is written as is, a
 * decimal in its shortest plain form ({@code 42.0 -> "42"}, {@code 1.5 -> "1.5"}, {@code 1e20 ->
 * "100000000000000000000"}).
 */
public final class IdFormatter {

  /**
   * A decimal whose plain form would need more digits than this is not an id but an attack on memory
   * ({@code 1E+1000000000} would print a billion zeros); such values count as absent.
   */
  private static final int MAX_PLAIN_DIGITS = 1_000;

  private IdFormatter() {}

  /**
   * The id as a string, or {@code null} when the value is absent, blank, not a string or number, or not finite.
   */
  public static String format(Object value) {
    if (value instanceof CharSequence text) {
      String id = text.toString();
      return id.isBlank() ? null : id; // "" and "   " identify nobody
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? null : plain(BigDecimal.valueOf(d));
    }
    if (value instanceof Float f) {
      return f.isNaN() || f.isInfinite() ? null : plain(new BigDecimal(Float.toString(f)));
    }
    if (value instanceof BigDecimal decimal) {
      return plain(decimal);
    }
    return null;
  }

  private static String plain(BigDecimal value) {
    BigDecimal stripped;
    try {
      stripped = value.stripTrailingZeros();
    } catch (ArithmeticException e) {
      // 1000E+2147483647: dropping the zeros takes the scale past the int range. Such a number would need billions
      // of plain digits, so it is no id either, rather than an exception that costs the whole message.
      return null;
    }
    long digits = (long) stripped.precision() + Math.abs((long) stripped.scale());
    return digits > MAX_PLAIN_DIGITS ? null : stripped.toPlainString();
  }
}
