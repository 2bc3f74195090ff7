package io.indicativegateway.ops;

import io.indicativegateway.config.Source;
import io.indicativegateway.store.DeadLetter;
import io.indicativegateway.store.EventStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What operators do with dead letters: list, inspect, replay, purge. Blocking (it works on the store); the
 * admin API calls it on worker threads, the {@code dlq --offline} command directly. Output never shows a key in
 * full.
 */
public final class DeadLetterService {

  private static final int PAGE = 1000;
  private static final int SUMMARY_DETAIL = 200;

  private final EventStore store;

  public DeadLetterService(EventStore store) {
    this.store = store;
  }

  /** {@code undeliverable} (accepted, not deliverable) or {@code rejected} (refused at ingestion). */
  public static DeadLetter.Kind kind(String name) {
    if (name == null || name.isBlank()) {
      return DeadLetter.Kind.UNDELIVERABLE;
    }
    try {
      return DeadLetter.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kind must be 'undeliverable' or 'rejected', got '" + name + "'");
    }
  }

  public JsonObject list(DeadLetter.Kind kind, long after, int limit) {
    List<Map.Entry<Long, DeadLetter>> page = store.deadLetters(kind, after, Math.max(1, Math.min(limit, PAGE)));
    JsonArray items = new JsonArray();
    page.forEach(e -> items.add(summary(e.getKey(), e.getValue())));
    JsonObject out = new JsonObject().put("kind", kind.name().toLowerCase(Locale.ROOT)).put("deadLetters", items);
    if (page.size() == Math.min(limit, PAGE) && !page.isEmpty()) {
      out.put("next", page.get(page.size() - 1).getKey());
    }
    return out;
  }

  /** The whole dead letter, message included (without any write key), or null. */
  public JsonObject show(long id) {
    DeadLetter letter = store.deadLetter(id);
    if (letter == null) {
      return null;
    }
    JsonObject message = letter.message() == null ? new JsonObject() : letter.message().copy();
    message.remove("writeKey");
    return summary(id, letter).put("detail", letter.detail()).put("message", message);
  }

  public JsonObject replay(List<Long> ids) {
    List<Long> replayed = store.replay(ids);
    List<Long> skipped = new ArrayList<>(ids);
    skipped.removeAll(replayed);
    return new JsonObject().put("replayed", replayed.size()).put("ids", new JsonArray(replayed))
        .put("notReplayed", new JsonArray(skipped));
  }

  /** Replays every undeliverable message. */
  public JsonObject replayAll() {
    long total = 0;
    List<Map.Entry<Long, DeadLetter>> page;
    while (!(page = store.deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, PAGE)).isEmpty()) {
      total += store.replay(page.stream().map(Map.Entry::getKey).toList()).size();
    }
    return new JsonObject().put("replayed", total);
  }

  public JsonObject purge(DeadLetter.Kind kind, List<Long> ids) {
    return new JsonObject().put("purged", store.purge(kind, ids));
  }

  public JsonObject purgeAll(DeadLetter.Kind kind) {
    long total = 0;
    List<Map.Entry<Long, DeadLetter>> page;
    while (!(page = store.deadLetters(kind, 0, PAGE)).isEmpty()) {
      total += store.purge(kind, page.stream().map(Map.Entry::getKey).toList());
    }
    return new JsonObject().put("purged", total);
  }

  public JsonObject status() {
    JsonObject status = new JsonObject()
        .put("undeliveredMessages", store.undeliveredCount())
        .put("bytes", store.sizeBytes())
        .put("maxBytes", store.settings().maxBytes())
        .put("rejectedBytes", store.rejectedBytes())
        .put("rejectedDropped", store.rejectedEvicted())
        .put("projects", store.projectIds().size());
    if (store.writeFailure() != null) {
      status.put("writeFailure", store.writeFailure());
    }
    return status;
  }

  private static JsonObject summary(long id, DeadLetter letter) {
    JsonObject message = letter.message() == null ? new JsonObject() : letter.message();
    String detail = letter.detail() == null ? "" : letter.detail();
    return new JsonObject()
        .put("id", id)
        .put("kind", letter.kind().name().toLowerCase(Locale.ROOT))
        .put("reason", letter.reason())
        .put("detail", detail.length() <= SUMMARY_DETAIL ? detail : detail.substring(0, SUMMARY_DETAIL) + "…")
        .put("at", Instant.ofEpochMilli(letter.atMillis()).toString())
        .put("source", letter.source())
        .put("project", Source.mask(letter.projectKey()))
        .put("messageId", message.getValue("messageId"))
        .put("type", message.getValue("type"))
        .put("event", message.getValue("event"));
  }
}
