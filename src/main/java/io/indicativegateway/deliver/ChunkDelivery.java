package io.indicativegateway.deliver;

import io.indicativegateway.json.ExactJson;
import io.indicativegateway.store.DeadLetter;
import io.indicativegateway.store.EventStore;
import io.indicativegateway.store.StoredRecord;
import io.indicativegateway.translate.EncodedItem;
import io.indicativegateway.translate.IndicativeItem;
import io.indicativegateway.translate.TranslatedRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers one chunk of a project's stored messages and keeps the books: a stored record is removed once every
 * item made from it is resolved (delivered or dead-lettered), and kept if shutdown left any item unsent.
 *
 * <p>Ordering (contract section 5): identify and alias requests of this chunk are sent first; this chunk's
 * events wait until they, and those of every earlier chunk of the project, are resolved.
 */
final class ChunkDelivery {

  private final DeliveryRuntime runtime;
  private final RequestSender sender;
  private final String projectKey;
  private final List<TranslatedRecord> records;
  private final int[] remaining;
  private final String[] deadReason;
  private final String[] deadDetail;
  private final boolean[] kept;
  private final long bytes;
  private final Runnable onFinished;
  private int recordsLeft;

  ChunkDelivery(DeliveryRuntime runtime, RequestSender sender, String projectKey, List<TranslatedRecord> records,
                long bytes, Runnable onFinished) {
    this.runtime = runtime;
    this.sender = sender;
    this.projectKey = projectKey;
    this.records = records;
    this.remaining = new int[records.size()];
    this.deadReason = new String[records.size()];
    this.deadDetail = new String[records.size()];
    this.kept = new boolean[records.size()];
    this.bytes = bytes;
    this.onFinished = onFinished;
    this.recordsLeft = records.size();
  }

  long bytes() {
    return bytes;
  }

  long receivedAtMillis(int record) {
    return records.get(record).record().receivedAtMillis();
  }

  /**
   * Starts sending. Returns when this chunk's identify/alias requests are resolved and {@code earlier} is too:
   * the next chunk's events wait for that.
   */
  Future<Void> start(Future<Void> earlier) {
    List<ItemRef> singles = new ArrayList<>();
    List<ItemRef> events = new ArrayList<>();
    List<ItemRef> empty = new ArrayList<>();
    List<ItemRef> untranslatable = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      List<EncodedItem> items = records.get(i).items();
      remaining[i] = Math.max(1, items.size());
      if (records.get(i).failure() != null) {
        untranslatable.add(new ItemRef(this, i, null));
      } else if (items.isEmpty()) {
        empty.add(new ItemRef(this, i, null)); // an alias pair this chunk already sends
      }
      for (EncodedItem item : items) {
        (item.kind() == IndicativeItem.Kind.EVENT ? events : singles).add(new ItemRef(this, i, item));
      }
    }
    if (!empty.isEmpty()) {
      resolve(empty, Resolution.DELIVERED, null, null);
    }
    for (ItemRef ref : untranslatable) {
      runtime.metrics.deadLettered("untranslatable", 1);
      resolve(List.of(ref), Resolution.DEAD_LETTERED, "untranslatable", records.get(ref.record()).failure());
    }
    List<Future<Void>> sent = new ArrayList<>(singles.size());
    for (ItemRef single : singles) {
      sent.add(sender.deliver(new PendingRequest(single.item().kind(), List.of(single))));
    }
    Future<Void> barrier = Future.all(earlier, Future.all(sent)).mapEmpty();
    barrier.onComplete(done -> sendEvents(events));
    return barrier;
  }

  private void sendEvents(List<ItemRef> events) {
    int overhead = PendingRequest.batchOverhead(sender.apiKeyPrefix());
    int maxBytes = runtime.settings.maxBatchBytes();
    List<ItemRef> sendable = new ArrayList<>(events.size());
    List<ItemRef> tooLarge = new ArrayList<>();
    for (ItemRef event : events) {
      (event.size() + overhead > maxBytes ? tooLarge : sendable).add(event);
    }
    if (!tooLarge.isEmpty()) {
      runtime.metrics.deadLettered("too-large", tooLarge.size());
      resolve(tooLarge, Resolution.DEAD_LETTERED, "too-large",
          "the translated event is larger than one request to Indicative may be (" + maxBytes + " bytes)");
    }
    for (List<ItemRef> batch : EventBatcher.split(sendable, ItemRef::size, runtime.settings.maxEventsPerBatch(),
        maxBytes, overhead)) {
      sender.deliver(new PendingRequest(IndicativeItem.Kind.EVENT, batch));
    }
  }

  /** The stored message as JSON; if it is not readable JSON (a damaged disk), its text, so nothing is lost. */
  private static JsonObject messageOf(StoredRecord record) {
    try {
      return ExactJson.parseObject(record.message());
    } catch (RuntimeException e) {
      return new JsonObject().put("unreadable", new String(record.message(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Records the resolution of items (all from this chunk); removes records that are now fully resolved. */
  void resolve(List<ItemRef> items, Resolution resolution, String reason, String detail) {
    List<StoredRecord> done = new ArrayList<>();
    List<DeadLetter> letters = new ArrayList<>();
    List<EventStore.AliasPair> aliasesSent = new ArrayList<>();
    for (ItemRef ref : items) {
      int i = ref.record();
      if (resolution == Resolution.DELIVERED && ref.item() != null && ref.item().alias() != null) {
        aliasesSent.add(ref.item().alias());
      }
      if (resolution == Resolution.ABANDONED) {
        kept[i] = true;
      } else if (resolution == Resolution.DEAD_LETTERED && deadReason[i] == null) {
        deadReason[i] = reason;
        deadDetail[i] = detail;
      }
      if (--remaining[i] > 0) {
        continue;
      }
      recordsLeft--;
      if (kept[i]) {
        continue;
      }
      StoredRecord record = records.get(i).record();
      done.add(record);
      if (deadReason[i] != null) {
        letters.add(new DeadLetter(deadReason[i], deadDetail[i], null, projectKey, System.currentTimeMillis(),
            messageOf(record)));
      }
    }
    if (!done.isEmpty() || !aliasesSent.isEmpty()) {
      runtime.complete(done, letters, aliasesSent);
    }
    if (recordsLeft == 0) {
      onFinished.run();
    }
  }
}
