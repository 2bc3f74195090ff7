package io.indicativegateway.sim;

import io.vertx.core.json.JsonObject;

/**
 * One request answered by the simulator's Indicative endpoints, accepted or not.
 *
 * @param path             request path, e.g. {@code /service/event/batch}
 * @param status           HTTP status the simulator answered
 * @param apiKey           the body's {@code apiKey}, or {@code null} when the body had none (or was not read)
 * @param eventCount       number of elements of {@code events} for a batch, 1 for a single event, else 0
 * @param client           the {@code Indicative-Client} request header, or {@code null}
 * @param receivedAtMillis when the request was received, epoch milliseconds
 * @param message          the error message answered, or {@code null} on success
 */
public record RecordedRequest(
    String path, int status, String apiKey, int eventCount, String client, long receivedAtMillis, String message) {

  public boolean accepted() {
    return status == 200;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("path", path)
        .put("status", status)
        .put("apiKey", apiKey)
        .put("eventCount", eventCount)
        .put("client", client)
        .put("receivedAt", receivedAtMillis)
        .put("message", message);
  }
}
