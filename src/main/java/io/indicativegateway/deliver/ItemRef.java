package io.indicativegateway.deliver;

import io.indicativegateway.translate.EncodedItem;

/** One translated item on its way to Indicative, and the stored record (within its chunk) it came from. */
record ItemRef(ChunkDelivery chunk, int record, EncodedItem item) {

  long receivedAtMillis() {
    return chunk.receivedAtMillis(record);
  }

  int size() {
    return item.json().length();
  }
}
