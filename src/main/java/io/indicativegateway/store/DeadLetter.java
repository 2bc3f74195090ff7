package io.indicativegateway.store;

import io.vertx.core.json.JsonObject;

/**
 * A message that will not be delivered, kept with the reason so an operator can inspect and replay it.
 *
 * @param reason short machine-readable cause: {@code validation}, {@code rejected-by-indicative}, {@code expired}
 * @param detail what went wrong in words (validation error, or Indicative's status and response body)
 * @param source the source's name (never its write key)
 * @param projectKey the Indicative project the message was meant for, so a replay can send it there
 * @param message the Segment message as received and enriched, or as much of it as was valid JSON
 */
public record DeadLetter(String reason, String detail, String source, String projectKey, long atMillis,
                         JsonObject message) {

  public static final String VALIDATION = "validation";

  /** Where a dead letter lives and how it is bounded. */
  public enum Kind {
    /** Refused at ingestion as invalid: evidence of bad input, kept within its own budget, oldest dropped first. */
    REJECTED((byte) 'R'),
    /** Accepted but not deliverable (refused by Indicative, expired, ...): counts in the store, never dropped. */
    UNDELIVERABLE((byte) 'U');

    final byte prefix;

    Kind(byte prefix) {
      this.prefix = prefix;
    }
  }

  public Kind kind() {
    return VALIDATION.equals(reason) ? Kind.REJECTED : Kind.UNDELIVERABLE;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("reason", reason)
        .put("detail", detail)
        .put("source", source)
        .put("projectKey", projectKey)
        .put("at", atMillis)
        .put("message", message);
  }

  static DeadLetter fromJson(JsonObject json) {
    return new DeadLetter(json.getString("reason"), json.getString("detail"), json.getString("source"),
        json.getString("projectKey"), json.getLong("at", 0L), json.getJsonObject("message"));
  }
}
