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

  /** What {@link #enrich} changed beyond messageId and receivedAt, as bit flags. */
  public static final int ADDED_CONTEXT = 1;
  public static final int ADDED_INTEGRATIONS = 2;
  public static final int ADDED_SENT_AT = 4;
  public static final int REMOVED_WRITE_KEY = 8;
  /** A batch-level object was merged into the message's own: the change is not at the top level only. */
  public static final int MERGED_DEEP = 16;

  private MessageEnricher() {}

  public static String formatReceivedAt(long epochMillis) {
    return RECEIVED_AT.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * @param batch the batch envelope (its context, integrations, sentAt), or null for a single call
   * @return flags saying what changed besides messageId and receivedAt
   */
  public static int enrich(JsonObject message, JsonObject batch, String receivedAt) {
    int changes = 0;
    if (message.getValue("messageId") == null) {
      message.put("messageId", UUID.randomUUID().toString());
    }
    message.put("receivedAt", receivedAt);
    if (message.remove("writeKey") != null) { // a secret; never forwarded
      changes |= REMOVED_WRITE_KEY;
    }
    if (batch == null) {
      return changes;
    }
    changes |= mergeObject(message, batch, "context", ADDED_CONTEXT);
    changes |= mergeObject(message, batch, "integrations", ADDED_INTEGRATIONS);
    if (message.getValue("sentAt") == null && batch.getValue("sentAt") != null) {
      message.put("sentAt", batch.getValue("sentAt"));
      changes |= ADDED_SENT_AT;
    }
    return changes;
  }

  private static int mergeObject(JsonObject message, JsonObject batch, String field, int addedFlag) {
    if (!(batch.getValue(field) instanceof JsonObject defaults) || defaults.isEmpty()) {
      return 0;
    }
    Object own = message.getValue(field);
    if (own == null) {
      message.put(field, defaults.copy());
      return addedFlag;
    }
    if (own instanceof JsonObject target) {
      fillMissing(target, defaults);
      return MERGED_DEEP;
    }
    return 0;
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
