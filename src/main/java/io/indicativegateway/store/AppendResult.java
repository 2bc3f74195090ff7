package io.indicativegateway.store;

import java.util.BitSet;

/** What the store did with a batch: which of its messages were duplicates and therefore not stored again. */
public record AppendResult(int stored, BitSet duplicates) {

  public int duplicateCount() {
    return duplicates.cardinality();
  }
}
