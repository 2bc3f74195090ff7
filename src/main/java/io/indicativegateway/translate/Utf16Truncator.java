package io.indicativegateway.translate;

/**
 * Makes strings safe to send: lone surrogates become U+FFFD and long strings are cut to a number of UTF-16 code
 * units without splitting a surrogate pair.
 *
 * <p>A lone surrogate cannot be encoded as UTF-8, so left alone it would turn into {@code ?} or fail the request
 * body somewhere downstream; replacing it keeps the rest of the string.
 */
final class Utf16Truncator {

  static final char REPLACEMENT = '\uFFFD';

  private Utf16Truncator() {}

  /**
   * Returns {@code value} without lone surrogates and at most {@code maxLength} code units long. A surrogate
   * pair that would straddle the limit is dropped whole.
   */
  static String truncate(String value, int maxLength) {
    // Only the first maxLength + 1 units decide the result: the last one tells whether the unit at the limit
    // is the first half of a pair. Cutting first keeps the work bounded for huge strings.
    String head = value.length() > maxLength + 1 ? value.substring(0, maxLength + 1) : value;
    String clean = replaceLoneSurrogates(head);
    if (clean.length() <= maxLength) {
      return clean;
    }
    int end = maxLength;
    if (end > 0 && Character.isHighSurrogate(clean.charAt(end - 1))) {
      end--; // its low half lies beyond the limit
    }
    return clean.substring(0, end);
  }

  /** Returns {@code value} with every unpaired surrogate replaced by U+FFFD (the same string if there is none). */
  static String replaceLoneSurrogates(String value) {
    int first = firstLoneSurrogate(value);
    if (first < 0) {
      return value;
    }
    char[] chars = value.toCharArray();
    for (int i = first; i < chars.length; i++) {
      char c = chars[i];
      if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
        i++; // a proper pair
      } else if (Character.isSurrogate(c)) {
        chars[i] = REPLACEMENT;
      }
    }
    return new String(chars);
  }

  private static int firstLoneSurrogate(String value) {
    int length = value.length();
    int i = 0;
    while (i < length && !Character.isSurrogate(value.charAt(i))) {
      i++; // most strings hold no surrogate at all: one test per unit
    }
    for (; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
