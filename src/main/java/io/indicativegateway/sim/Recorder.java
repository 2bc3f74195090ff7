package io.indicativegateway.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Thread-safe, bounded memory of what the simulator accepted and answered.
 *
 * <p>Writes happen on event loops, once per request, under one short lock. Accepted items are kept as the raw
 * request body bytes (one copy per request, no re-encoding); they are parsed again only when read, which keeps
 * recording cheap and memory close to the size of the JSON received.
 */
final class Recorder {

  /** Distinct api keys and client headers are few: share one String instance each instead of one per request. */
  private static final int CANONICAL_LIMIT = 1024;

  private final int maxRecorded;
  private final Map<String, String> canonical = new ConcurrentHashMap<>();

  private final Object lock = new Object();
  private final EnumMap<ItemKind, ItemLog> logs = new EnumMap<>(ItemKind.class);
  private ArrayList<RecordedRequest> requests = new ArrayList<>();
  private long storedItems;
  private boolean truncated;
  private long requestCount;
  private long acceptedRequests;
  private final EnumMap<ItemKind, Long> accepted = new EnumMap<>(ItemKind.class);
  private final Map<Integer, Long> rejectedByStatus = new HashMap<>();

  Recorder(int maxRecorded) {
    this.maxRecorded = maxRecorded;
    clearLocked();
  }

  /**
   * Records one answered request and, when it was accepted, its items.
   *
   * @param request  the request record
   * @param kind     kind of the accepted items, or {@code null} when the request was rejected
   * @param body     the request body (only read when {@code kind} is not null)
   * @param batch    whether the body is an event batch whose {@code events} elements are the items
   * @param count    number of accepted items in the body
   */
  void record(RecordedRequest request, ItemKind kind, Buffer body, boolean batch, int count) {
    RecordedRequest stored = new RecordedRequest(request.path(), request.status(), canonical(request.apiKey()),
        request.eventCount(), canonical(request.client()), request.receivedAtMillis(), request.message());
    synchronized (lock) {
      requestCount++;
      if (requests.size() < maxRecorded) {
        requests.add(stored);
      } else {
        truncated = true;
      }
      if (kind == null) {
        rejectedByStatus.merge(request.status(), 1L, Long::sum);
        return;
      }
      acceptedRequests++;
      accepted.merge(kind, (long) count, Long::sum);
      long room = maxRecorded - storedItems;
      int keep = (int) Math.min(count, Math.max(0, room));
      if (keep < count) {
        truncated = true;
      }
      if (keep > 0) {
        logs.get(kind).add(body.getBytes(), stored.apiKey(), batch, keep);
        storedItems += keep;
      }
    }
  }

  /** Items of {@code kind} with index in {@code [from, from + limit)}, decoded fresh (callers may modify them). */
  List<JsonObject> items(ItemKind kind, long from, int limit) {
    List<Chunk> chunks;
    synchronized (lock) {
      chunks = logs.get(kind).slice(from, limit);
    }
    List<JsonObject> out = new ArrayList<>(Math.min(limit, 1 << 16));
    for (Chunk chunk : chunks) {
      chunk.decode(from, limit, out);
    }
    return out;
  }

  List<RecordedRequest> requests(long from, int limit) {
    synchronized (lock) {
      int start = (int) Math.min(Math.max(0, from), requests.size());
      int end = (int) Math.min(requests.size(), (long) start + Math.max(0, limit));
      return List.copyOf(requests.subList(start, end));
    }
  }

  SimulatorStats stats() {
    synchronized (lock) {
      return new SimulatorStats(requestCount, acceptedRequests, accepted.get(ItemKind.EVENTS),
          accepted.get(ItemKind.IDENTIFIES), accepted.get(ItemKind.ALIASES), rejectedByStatus, storedItems,
          requests.size(), maxRecorded, truncated);
    }
  }

  void clear() {
    synchronized (lock) {
      clearLocked();
    }
  }

  private void clearLocked() {
    for (ItemKind kind : ItemKind.values()) {
      logs.put(kind, new ItemLog());
      accepted.put(kind, 0L);
    }
    requests = new ArrayList<>();
    storedItems = 0;
    truncated = false;
    requestCount = 0;
    acceptedRequests = 0;
    rejectedByStatus.clear();
  }

  private String canonical(String value) {
    if (value == null) {
      return null;
    }
    String known = canonical.get(value);
    if (known != null) {
      return known;
    }
    if (canonical.size() < CANONICAL_LIMIT) {
      known = canonical.putIfAbsent(value, value);
    }
    return known != null ? known : value;
  }

  /** The accepted items of one request: items {@code start .. start + count - 1} of their kind. */
  private record Chunk(long start, int count, byte[] body, String apiKey, boolean batch) {

    /** Appends this chunk's items whose index is in {@code [from, from + limit)} to {@code out}. */
    void decode(long from, int limit, List<JsonObject> out) {
      long end = from + limit;
      int first = (int) Math.max(0, from - start);
      int last = (int) Math.min(count, end - start);
      JsonObject json = Buffer.buffer(body).toJsonObject();
      if (!batch) {
        if (first == 0 && last >= 1) {
          out.add(json);
        }
        return;
      }
      JsonArray events = json.getJsonArray("events");
      for (int i = first; i < last; i++) {
        out.add(events.getJsonObject(i).put("apiKey", apiKey));
      }
    }
  }

  private static final class ItemLog {
    private final ArrayList<Chunk> chunks = new ArrayList<>();
    private long size;

    void add(byte[] body, String apiKey, boolean batch, int count) {
      chunks.add(new Chunk(size, count, body, apiKey, batch));
      size += count;
    }

    /** The chunks holding items {@code [from, from + limit)}. */
    List<Chunk> slice(long from, int limit) {
      if (limit <= 0 || from >= size || chunks.isEmpty()) {
        return List.of();
      }
      long end = from + limit;
      int i = firstChunkEndingAfter(Math.max(0, from));
      List<Chunk> out = new ArrayList<>();
      for (; i < chunks.size() && chunks.get(i).start() < end; i++) {
        out.add(chunks.get(i));
      }
      return out;
    }

    /** Index of the chunk containing item {@code index} (binary search on the chunks' start). */
    private int firstChunkEndingAfter(long index) {
      int lo = 0;
      int hi = chunks.size() - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (chunks.get(mid).start() <= index) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }
  }
}
