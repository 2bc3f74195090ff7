package io.indicativegateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.config.StoreSettings;
import io.indicativegateway.json.ExactJson;
import io.indicativegateway.store.EventStore.AliasPair;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterAndLedgerTest {

  @TempDir
  Path dir;

  private EventStore open() {
    return EventStore.open(new StoreSettings(dir, 1L << 30, 1L << 20, 1000, 8 << 20, 5, Duration.ofHours(24)));
  }

  @Test
  void aDeadLetterAroundTheDeepestMessageIngestionMayAcceptIsWrittenAndReadBack() {
    JsonObject message = new JsonObject().put("leaf", 1);
    for (int level = 1; level < ExactJson.MAX_CONFIGURABLE_DEPTH; level++) {
      message = new JsonObject().put("a", message);
    }
    DeadLetter letter = new DeadLetter("rejected-by-indicative", "HTTP 400", "web", "p", 1L, message);
    byte[] written = letter.toJson().toBuffer().getBytes();
    assertThat(DeadLetter.fromJson(ExactJson.parseObject(written)).message()).isEqualTo(message);
  }

  @Test
  void deliveredAliasPairsAreRememberedPerProjectUntilTheWindowEnds() {
    try (EventStore store = open()) {
      AliasPair sent = new AliasPair(1L, "anon-1", "user-1");
      AliasPair otherProject = new AliasPair(2L, "anon-1", "user-1");
      AliasPair other = new AliasPair(1L, "anon-2", "user-1");
      store.complete(List.of(), List.of(), List.of(sent));
      assertThat(store.aliasesAlreadySent(List.of(sent, otherProject, other))).containsExactly(sent);
      store.expireDedup(System.currentTimeMillis() + Duration.ofHours(25).toMillis(), 100);
      assertThat(store.aliasesAlreadySent(List.of(sent))).isEmpty();
    }
  }

  @Test
  void replayMovesUndeliverableMessagesBackIntoTheirQueueAndPurgeDeletesForGood() throws Exception {
    JsonObject message = new JsonObject().put("type", "track").put("userId", "u").put("event", "Fixed")
        .put("messageId", "m-1");
    try (EventStore store = open()) {
      store.complete(List.of(), List.of(
          new DeadLetter("rejected-by-indicative", "HTTP 400: bad", null, "proj", 1L, message),
          new DeadLetter("expired", "too old", null, "proj", 2L, message.copy().put("messageId", "m-2"))),
          List.of());
      List<Map.Entry<Long, DeadLetter>> letters = store.deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10);
      assertThat(letters).hasSize(2);
      long sizeBefore = store.sizeBytes();
      long first = letters.get(0).getKey();
      long second = letters.get(1).getKey();
      assertThat(store.deadLetter(first).detail()).isEqualTo("HTTP 400: bad");

      long before = System.currentTimeMillis();
      assertThat(store.replay(List.of(first, 999_999L))).containsExactly(first);
      assertThat(store.deadLetter(first)).isNull();
      List<StoredRecord> queued = store.readChunk(StoreKeys.idOf("proj"), 0, 10, 1 << 20);
      assertThat(queued).hasSize(1);
      assertThat(new JsonObject(new String(queued.get(0).message(), StandardCharsets.UTF_8))).isEqualTo(message);
      assertThat(queued.get(0).receivedAtMillis()).isGreaterThanOrEqualTo(before); // the retry age starts over
      assertThat(store.undeliveredCount()).isEqualTo(1);

      assertThat(store.purge(DeadLetter.Kind.UNDELIVERABLE, List.of(second))).isEqualTo(1);
      assertThat(store.deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10)).isEmpty();
      assertThat(store.sizeBytes()).isLessThan(sizeBefore);
    }
    try (EventStore reopened = open()) {
      assertThat(reopened.undeliveredCount()).isEqualTo(1);
      assertThat(reopened.deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10)).isEmpty();
    }
  }

  @Test
  void replayRefusesMessagesThatWereNeverValid() {
    try (EventStore store = open()) {
      store.append(new AppendBatch("wk", "proj", 1L, List.of(), List.of(
          new DeadLetter(DeadLetter.VALIDATION, "event is required", "web", "proj", 1L, new JsonObject()))));
      long id = awaitRejected(store);
      assertThat(store.replay(List.of(id))).isEmpty();
      assertThat(store.deadLetter(id)).isNotNull();
      assertThat(store.purge(DeadLetter.Kind.REJECTED, List.of(id))).isEqualTo(1);
    }
  }

  private static long awaitRejected(EventStore store) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      var letters = store.deadLetters(DeadLetter.Kind.REJECTED, 0, 1);
      if (!letters.isEmpty()) {
        return letters.get(0).getKey();
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the rejected message was not stored");
  }

  @Test
  void projectIdsAreStable() {
    assertThat(StoreKeys.idOf("proj")).isEqualTo(StoreKeys.idOf("proj")).isNotEqualTo(StoreKeys.idOf("proj2"));
    assertThat(Set.of(StoreKeys.idOf("a"), StoreKeys.idOf("b"))).hasSize(2);
  }
}
