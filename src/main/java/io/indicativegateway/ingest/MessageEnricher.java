package io.indicativegateway.ingest;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * What the gateway adds to a message on receipt (contract section 2): a messageId if none was given, its own
 * {@code receivedAt}, and the batch's {@code context}, {@code integrations} and {@code sentAt} where the message
 * has none of its own. Event time is derived later, during translation, from the fields kept here.
 */
public final class MessageEnricher {

  private static final DateTimeFormatter RECEIVED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private MessageEnricher() {}

  public static String formatReceivedAt(long epochMillis) {
    return RECEIVED_AT.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * @param batch the batch envelope (its context, integrations, sentAt), or null for a single call
   */
  public static void enrich(JsonObject message, JsonObject batch, String receivedAt) {
    if (message.getValue("messageId") == null) {
      message.put("messageId", UUID.randomUUID().toString());
    }
    message.put("receivedAt", receivedAt);
    message.remove("writeKey"); // a secret; never stored or forwarded
    if (batch == null) {
      return;
    }
    mergeObject(message, batch, "context");
    mergeObject(message, batch, "integrations");
    if (message.getValue("sentAt") == null && batch.getValue("sentAt") != null) {
      message.put("sentAt", batch.getValue("sentAt"));
    }
  }

  private static void mergeObject(JsonObject message, JsonObject batch, String field) {
    if (!(batch.getValue(field) instanceof JsonObject defaults) || defaults.isEmpty()) {
      return;
    }
    Object own = message.getValue(field);
    if (own == null) {
      message.put(field, defaults.copy());
    } else if (own instanceof JsonObject target) {
      fillMissing(target, defaults);
    }
  }

  /** Adds what {@code target} lacks from {@code defaults}, descending into objects both have: message wins. */
  static void fillMissing(JsonObject target, JsonObject defaults) {
    for (String key : defaults.fieldNames()) {
      Object mine = target.getValue(key);
      Object theirs = defaults.getValue(key);
      if (mine == null && !target.containsKey(key)) {
        target.put(key, theirs instanceof JsonObject object ? object.copy() : theirs);
      } else if (mine instanceof JsonObject mineObject && theirs instanceof JsonObject theirsObject) {
        fillMissing(mineObject, theirsObject);
      }
    }
  }

  /**
   * Whether the message's {@code integrations} let it reach Indicative: not when {@code Indicative} is false, nor
   * when {@code All} is false and {@code Indicative} is not enabled (true, or an options object).
   */
  public static boolean sendsToIndicative(JsonObject message) {
    if (!(message.getValue("integrations") instanceof JsonObject integrations)) {
      return true;
    }
    Object indicative = null;
    Object all = null;
    for (String key : integrations.fieldNames()) {
      if (key.equalsIgnoreCase("Indicative")) {
        indicative = integrations.getValue(key);
      } else if (key.equalsIgnoreCase("All")) {
        all = integrations.getValue(key);
      }
    }
    if (Boolean.FALSE.equals(indicative)) {
      return false;
    }
    boolean enabled = Boolean.TRUE.equals(indicative) || indicative instanceof JsonObject;
    return !(Boolean.FALSE.equals(all) && !enabled);
  }
}
