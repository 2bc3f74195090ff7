package io.indicativegateway.json;

/**
 * What a parse saw of one value's size inside: object keys and array elements at all levels, the longest key
 * and the longest string. Filled while parsing so limits need no second walk over the tree.
 */
public final class ShapeCounter {

  int entries;
  int longestKey;
  int longestString;

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
