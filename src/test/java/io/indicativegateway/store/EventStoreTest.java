package io.indicativegateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.indicativegateway.config.StoreSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {

  @TempDir
  Path dir;

  private StoreSettings settings(long maxBytes, Duration dedupWindow) {
    return new StoreSettings(dir, maxBytes, 1 << 20, 10_000, 8 << 20, 5, dedupWindow);
  }

  private static AppendBatch batch(String writeKey, String project, String... messageIds) {
    List<IncomingMessage> messages = new ArrayList<>();
    for (String id : messageIds) {
      messages.add(new IncomingMessage(id, ("{\"messageId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)));
    }
    return new AppendBatch(writeKey, project, 1_700_000_000_000L, messages, List.of());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<String> ids(List<StoredRecord> records) {
    return records.stream()
        .map(r -> new JsonObject(new String(r.message(), StandardCharsets.UTF_8)).getString("messageId"))
        .toList();
  }

  @Test
  void appendedMessagesSurviveReopenInArrivalOrderPerProject() throws Exception {
    long projectA = StoreKeys.idOf("project-a");
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ofHours(24)))) {
      await(store.append(batch("wk", "project-a", "a1", "a2")));
      await(store.append(batch("wk", "project-b", "b1")));
      await(store.append(batch("wk", "project-a", "a3")));
      assertThat(store.undeliveredCount()).isEqualTo(4);
    }
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ofHours(24)))) {
      assertThat(store.undeliveredCount()).isEqualTo(4);
      assertThat(store.projectIds()).containsExactlyInAnyOrder(projectA, StoreKeys.idOf("project-b"));
      assertThat(store.projectKey(projectA)).isEqualTo("project-a");
      List<StoredRecord> chunk = store.readChunk(projectA, 0, 100, 1 << 20);
      assertThat(ids(chunk)).containsExactly("a1", "a2", "a3");
      assertThat(chunk.get(0).receivedAtMillis()).isEqualTo(1_700_000_000_000L);
      // new sequence numbers continue after the recovered ones
      await(store.append(batch("wk", "project-a", "a4")));
      List<StoredRecord> after = store.readChunk(projectA, chunk.get(2).seq(), 100, 1 << 20);
      assertThat(ids(after)).containsExactly("a4");
    }
  }

  @Test
  void readChunkRespectsRecordAndByteLimitsButReturnsAtLeastOne() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ZERO))) {
      await(store.append(batch("wk", "p", "m1", "m2", "m3", "m4", "m5")));
      long project = StoreKeys.idOf("p");
      assertThat(ids(store.readChunk(project, 0, 2, 1 << 20))).containsExactly("m1", "m2");
      assertThat(ids(store.readChunk(project, 0, 100, 1))).containsExactly("m1");
    }
  }

  @Test
  void completeRemovesDeliveredRecordsAndStoresDeadLetters() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ZERO))) {
      await(store.append(batch("wk", "p", "m1", "m2", "m3")));
      long project = StoreKeys.idOf("p");
      List<StoredRecord> chunk = store.readChunk(project, 0, 100, 1 << 20);
      long before = store.sizeBytes();
      DeadLetter letter = new DeadLetter("rejected-by-indicative", "HTTP 400: bad", null, "p", 1L,
          new JsonObject().put("messageId", "m2"));
      store.complete(chunk.subList(0, 2), List.of(letter), List.of());
      assertThat(ids(store.readChunk(project, 0, 100, 1 << 20))).containsExactly("m3");
      assertThat(store.undeliveredCount()).isEqualTo(1);
      assertThat(store.sizeBytes()).isLessThan(before + 1000);
      List<Map.Entry<Long, DeadLetter>> letters = store.deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10);
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).getValue().detail()).isEqualTo("HTTP 400: bad");
      assertThat(letters.get(0).getValue().message().getString("messageId")).isEqualTo("m2");
    }
  }

  @Test
  void duplicatesWithinTheWindowAreNotStoredAgainAndTheFirstCopyInABatchWins() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ofHours(24)))) {
      AppendResult first = await(store.append(batch("wk", "p", "x", "y", "x")));
      assertThat(first.stored()).isEqualTo(2);
      assertThat(first.duplicates().get(2)).isTrue();
      AppendResult retry = await(store.append(batch("wk", "p", "x", "y", "z")));
      assertThat(retry.stored()).isEqualTo(1);
      assertThat(retry.duplicateCount()).isEqualTo(2);
      // another source may use the same message ids
      AppendResult otherSource = await(store.append(batch("other-wk", "p", "x")));
      assertThat(otherSource.stored()).isEqualTo(1);
      assertThat(ids(store.readChunk(StoreKeys.idOf("p"), 0, 100, 1 << 20))).containsExactly("x", "y", "z", "x");
    }
  }

  @Test
  void expiredDedupEntriesAreForgottenSoTheIdIsAcceptedAgain() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ofMinutes(1)))) {
      await(store.append(batch("wk", "p", "old-1", "old-2")));
      assertThat(store.expireDedup(System.currentTimeMillis(), 100)).isZero(); // still inside the window
      long later = System.currentTimeMillis() + Duration.ofMinutes(2).toMillis();
      // one index entry holds both ids of the synced write: expiry takes it whole
      assertThat(store.expireDedup(later, 1)).isEqualTo(2);
      assertThat(store.expireDedup(later, 100)).isZero();
      assertThat(await(store.append(batch("wk", "p", "old-1"))).stored()).isEqualTo(1);
    }
  }

  @Test
  void theOldestUndeliveredMessageFollowsDeliveriesAndNewArrivals() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ZERO))) {
      long project = StoreKeys.idOf("p");
      assertThat(store.oldestUndeliveredMillis()).isZero();
      await(store.append(received(1_000L, "a1", "a2")));
      await(store.append(received(2_000L, "b1")));
      assertThat(store.oldestUndeliveredMillis()).isEqualTo(1_000L);
      List<StoredRecord> all = store.readChunk(project, 0, 100, 1 << 20);
      store.complete(all.subList(0, 1), List.of(), List.of());
      assertThat(store.oldestUndeliveredMillis()).isEqualTo(1_000L); // a2 still waits
      store.complete(all.subList(1, 2), List.of(), List.of());
      assertThat(store.oldestUndeliveredMillis()).isEqualTo(2_000L);
      store.complete(all.subList(2, 3), List.of(), List.of());
      assertThat(store.oldestUndeliveredMillis()).isZero();
      await(store.append(received(3_000L, "c1")));
      assertThat(store.oldestUndeliveredMillis()).isEqualTo(3_000L);
    }
  }

  private static AppendBatch received(long receivedAtMillis, String... messageIds) {
    AppendBatch batch = batch("wk", "p", messageIds);
    return new AppendBatch(batch.writeKey(), batch.projectKey(), receivedAtMillis, batch.messages(), List.of());
  }

  @Test
  void ledgerEntriesIndexedOneByOneByEarlierVersionsStillExpire() throws Exception {
    long acceptedAt = System.currentTimeMillis() - Duration.ofMinutes(5).toMillis();
    byte[] ledgerKey = DedupLedger.messageKey(StoreKeys.idOf("wk"), "legacy");
    try (RocksHandles r = RocksHandles.open(dir)) { // as earlier versions wrote it: one index entry per key
      r.db.put(r.dedup, ledgerKey, StoreKeys.longKey(acceptedAt));
      byte[] indexKey = java.nio.ByteBuffer.allocate(8 + ledgerKey.length).putLong(acceptedAt).put(ledgerKey).array();
      r.db.put(r.dedupExpiry, indexKey, new byte[0]);
    }
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ofHours(1)))) {
      assertThat(await(store.append(batch("wk", "p", "legacy"))).stored()).isZero(); // still remembered
      assertThat(store.expireDedup(System.currentTimeMillis() + Duration.ofMinutes(56).toMillis(), 100))
          .isEqualTo(1);
      assertThat(await(store.append(batch("wk", "p", "legacy"))).stored()).isEqualTo(1);
    }
  }

  @Test
  void aFullStoreRefusesTheWholeBatchUntilDeliveryFreesSpace() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 20, Duration.ZERO))) {
      byte[] big = new byte[100_000];
      java.util.Arrays.fill(big, (byte) 'a');
      List<IncomingMessage> messages = List.of(new IncomingMessage("b", big));
      int accepted = 0;
      Throwable refusal = null;
      while (refusal == null) {
        try {
          await(store.append(new AppendBatch("wk", "p", 1L, messages, List.of())));
          accepted++;
        } catch (Exception e) {
          refusal = e.getCause();
        }
      }
      assertThat(refusal).isInstanceOf(StoreRejectedException.class);
      assertThat(((StoreRejectedException) refusal).reason()).isEqualTo(StoreRejectedException.Cause.FULL);
      assertThat(accepted).isBetween(8, 10);
      assertThat(store.undeliveredCount()).isEqualTo(accepted);
      List<StoredRecord> chunk = store.readChunk(StoreKeys.idOf("p"), 0, 2, Long.MAX_VALUE);
      store.complete(chunk, List.of(), List.of());
      assertThat(await(store.append(new AppendBatch("wk", "p", 1L, messages, List.of()))).stored()).isEqualTo(1);
    }
  }

  @Test
  void concurrentAppendsShareSyncs() throws Exception {
    try (EventStore store = EventStore.open(settings(1 << 30, Duration.ofHours(1)))) {
      List<Future<AppendResult>> pending = IntStream.range(0, 400)
          .mapToObj(i -> store.append(batch("wk", "p", "m" + i)))
          .toList();
      for (Future<AppendResult> f : pending) {
        assertThat(await(f).stored()).isEqualTo(1);
      }
      assertThat(store.undeliveredCount()).isEqualTo(400);
      assertThat(store.groupCommits()).isLessThan(200);
    }
  }

  @Test
  void appendAfterCloseIsRefusedNotLost() throws Exception {
    EventStore store = EventStore.open(settings(1 << 30, Duration.ZERO));
    store.close();
    assertThatThrownBy(() -> await(store.append(batch("wk", "p", "late"))))
        .hasCauseInstanceOf(StoreRejectedException.class);
  }

  @Test
  void operationsAfterCloseFailCleanlyInsteadOfTouchingFreedNativeHandles() throws Exception {
    EventStore store = EventStore.open(settings(1 << 30, Duration.ZERO));
    await(store.append(batch("wk", "p", "m1")));
    List<StoredRecord> chunk = store.readChunk(StoreKeys.idOf("p"), 0, 10, 1 << 20);
    store.close();
    assertThatThrownBy(() -> store.readChunk(StoreKeys.idOf("p"), 0, 10, 1 << 20))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.complete(chunk, List.of(), List.of())).isInstanceOf(IllegalStateException.class);
    // nothing was removed: the record is still there after reopening
    try (EventStore reopened = EventStore.open(settings(1 << 30, Duration.ZERO))) {
      assertThat(reopened.undeliveredCount()).isEqualTo(1);
    }
  }

  @Test
  void messagesRefusedAtIngestionStayWithinTheirOwnBudgetAndNeverCrowdOutAcceptedOnes() throws Exception {
    JsonObject invalid = new JsonObject().put("type", "track").put("padding", "x".repeat(10_000));
    try (EventStore store = EventStore.open(settings(2 << 20, Duration.ZERO))) { // 2 MB for accepted messages
      for (int request = 0; request < 40; request++) { // 40 x 10 x ~10 KB = ~4 MB of invalid input
        List<DeadLetter> rejected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          rejected.add(new DeadLetter(DeadLetter.VALIDATION, "event is required", "web", "p", 1L, invalid));
        }
        AppendResult result = await(store.append(new AppendBatch("wk", "p", 1L,
            List.of(new IncomingMessage("ok-" + request, "{}".getBytes(StandardCharsets.UTF_8))), rejected)));
        assertThat(result.stored()).isEqualTo(1);
      }
      assertThat(store.rejectedBytes()).isLessThanOrEqualTo(1 << 20);
      assertThat(store.rejectedEvicted()).isGreaterThan(250);
      assertThat(store.sizeBytes()).isLessThan(10_000); // only the 40 accepted messages count
      List<Map.Entry<Long, DeadLetter>> kept = store.deadLetters(DeadLetter.Kind.REJECTED, 0, 1000);
      assertThat(kept.size()).isEqualTo(400 - (int) store.rejectedEvicted());
      assertThat(store.rejectedBytes()).isGreaterThan((1 << 20) - 20_000); // dropped only what it had to
      assertThat(kept.get(0).getKey()).isLessThan(kept.get(kept.size() - 1).getKey()); // oldest dropped first
      assertThat(store.deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10)).isEmpty();
    }
    try (EventStore reopened = EventStore.open(settings(2 << 20, Duration.ZERO))) {
      assertThat(reopened.rejectedBytes()).isBetween(1L, 1L << 20);
      assertThat(reopened.undeliveredCount()).isEqualTo(40);
    }
  }
}
