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

  long bytes() {
    long total = 0;
    for (IncomingMessage message : messages) {
      total += message.json().length + 16 + StoreKeys.RECORD_HEADER;
    }
    for (DeadLetter letter : deadLetters) {
      total += 512; // estimate before encoding; the exact size is counted when written
    }
    return total;
  }
}
