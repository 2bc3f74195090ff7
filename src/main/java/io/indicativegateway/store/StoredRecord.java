package io.indicativegateway.store;

/**
 * One accepted message waiting for delivery.
 *
 * @param message the enriched Segment message as UTF-8 JSON
 * @param storedBytes what the record occupies in the store's size accounting
 */
public record StoredRecord(long projectId, long seq, long receivedAtMillis, byte[] message, int storedBytes) {

  byte[] key() {
    return StoreKeys.queueKey(projectId, seq);
  }
}
