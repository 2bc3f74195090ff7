package io.indicativegateway.json;

/**
 * What a parse saw of one value's size inside: object keys and array elements at all levels, the longest key
 * and the longest string. Filled while parsing so limits need no second walk over the tree.
 */
public final class ShapeCounter {

  int entries;
  int longestKey;
  int longestString;

  /** Counts a key read outside {@link ExactJson#readValue}: the root object's own keys. */
  public void countKey(String name) {
    entries++;
    longestKey = Math.max(longestKey, name.length());
  }

  /** Counts an array element that was measured on its own, with everything inside it. */
  public void countElement(ShapeCounter element) {
    entries += 1 + element.entries;
    longestKey = Math.max(longestKey, element.longestKey);
    longestString = Math.max(longestString, element.longestString);
  }

  public int entries() {
    return entries;
  }

  public int longestKey() {
    return longestKey;
  }

  public int longestString() {
    return longestString;
  }
}
