package io.indicativegateway.sim;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Counters of an {@link IndicativeSimulator} at one moment. Counters keep counting past the recording cap.
 *
 * @param requests           requests answered on the Indicative endpoints (control endpoints excluded)
 * @param acceptedRequests   of those, answered 200
 * @param acceptedEvents     events in accepted requests
 * @param acceptedIdentifies accepted identify calls
 * @param acceptedAliases    accepted alias calls
 * @param rejectedByStatus   requests answered with a status other than 200, by status
 * @param recordedItems      events, identifies and aliases stored (at most {@code maxRecorded})
 * @param recordedRequests   request records stored (at most {@code maxRecorded})
 * @param maxRecorded        the recording cap
 * @param recordingTruncated whether anything was counted but not stored because of the cap
 */
public record SimulatorStats(
    long requests,
    long acceptedRequests,
    long acceptedEvents,
    long acceptedIdentifies,
    long acceptedAliases,
    Map<Integer, Long> rejectedByStatus,
    long recordedItems,
    long recordedRequests,
    long maxRecorded,
    boolean recordingTruncated) {

  public SimulatorStats {
    rejectedByStatus = Map.copyOf(rejectedByStatus);
  }

  /** Requests answered with a status other than 200. */
  public long rejectedRequests() {
    return rejectedByStatus.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests answered with {@code status}. */
  public long rejected(int status) {
    return rejectedByStatus.getOrDefault(status, 0L);
  }

  public JsonObject toJson() {
    JsonObject rejected = new JsonObject();
    rejectedByStatus.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> rejected.put(String.valueOf(e.getKey()), e.getValue()));
    return new JsonObject()
        .put("requests", requests)
        .put("acceptedRequests", acceptedRequests)
        .put("acceptedEvents", acceptedEvents)
        .put("acceptedIdentifies", acceptedIdentifies)
        .put("acceptedAliases", acceptedAliases)
        .put("rejectedRequests", rejectedRequests())
        .put("rejectedByStatus", rejected)
        .put("recordedItems", recordedItems)
        .put("recordedRequests", recordedRequests)
        .put("maxRecorded", maxRecorded)
        .put("recordingTruncated", recordingTruncated);
  }
}
