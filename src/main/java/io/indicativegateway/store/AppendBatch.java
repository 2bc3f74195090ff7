package io.indicativegateway.store;

import java.util.List;

/**
 * Everything one ingestion request asks the store to keep, written atomically in one group commit.
 *
 * @param writeKey identifies the source for the dedup ledger (only its digest is stored)
 * @param projectKey the Indicative project the messages are delivered to
 * @param messages validated messages, in request order
 * @param deadLetters messages of the request that were rejected, kept for inspection
 */
public record AppendBatch(String writeKey, String projectKey, long receivedAtMillis, List<IncomingMessage> messages,
                          List<DeadLetter> deadLetters) {

  /** What the messages will occupy in the bounded part of the store. */
  long messageBytes() {
    long total = 0;
    for (IncomingMessage message : messages) {
      total += message.json().length + 16 + StoreKeys.RECORD_HEADER;
    }
    return total;
  }

  /** Everything the batch writes, for sizing group commits (rejected messages estimated before encoding). */
  long writeBytes() {
    return messageBytes() + 512L * deadLetters.size();
  }
}
