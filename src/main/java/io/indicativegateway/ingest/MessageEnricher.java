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
 *
 * <p>From the HTTP request, as Segment does: {@code context.ip} gets the client's address when the message (and
 * its batch) has none, and {@code context.userAgent} gets the request's user agent when a browser sent it and the
 * message has none (neither {@code userAgent} nor {@code user_agent}). A value the client sent always wins.
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
  /** {@code context.ip}, or {@code context.userAgent}, was added inside the context the client sent. */
  public static final int FILLED_IP = 32;
  public static final int FILLED_USER_AGENT = 64;
  /** The message had no messageId: one was generated. */
  public static final int GENERATED_MESSAGE_ID = 128;

  private MessageEnricher() {}

  public static String formatReceivedAt(long epochMillis) {
    return RECEIVED_AT.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * @param batch the batch envelope (its context, integrations, sentAt), or null for a single call
   * @return flags saying what changed besides messageId and receivedAt
   */
  public static int enrich(JsonObject message, JsonObject batch, String receivedAt) {
    return enrich(message, batch, receivedAt, null);
  }

  /**
   * @param origin what the HTTP request says about the client, or null (event bus)
   * @return flags saying what changed besides messageId and receivedAt
   */
  public static int enrich(JsonObject message, JsonObject batch, String receivedAt, RequestOrigin origin) {
    int changes = enrichFromBody(message, batch, receivedAt);
    return origin == null ? changes : changes | fillFromRequest(message, origin, changes);
  }

  private static int enrichFromBody(JsonObject message, JsonObject batch, String receivedAt) {
    int changes = 0;
    if (message.getValue("messageId") == null) {
      message.put("messageId", UUID.randomUUID().toString());
      changes |= GENERATED_MESSAGE_ID;
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

  /**
   * Adds {@code context.ip} and {@code context.userAgent} from the request where the message lacks them.
   *
   * @param changes what enrichment changed so far: a context the batch supplied is not in the client's bytes
   */
  private static int fillFromRequest(JsonObject message, RequestOrigin origin, int changes) {
    Object own = message.getValue("context");
    if (own != null && !(own instanceof JsonObject)) {
      return 0; // not an object: the client's own business, left as it is
    }
    JsonObject context = (JsonObject) own;
    boolean ip = origin.ip() != null && (context == null || isBlank(context.getValue("ip")));
    boolean userAgent = origin.browserUserAgent() != null && (context == null
        || (isBlank(context.getValue("userAgent")) && isBlank(context.getValue("user_agent"))));
    if (!ip && !userAgent) {
      return 0;
    }
    if (context == null) {
      context = new JsonObject();
      message.put("context", context);
    }
    if (ip) {
      context.put("ip", origin.ip());
    }
    if (userAgent) {
      context.put("userAgent", origin.browserUserAgent());
    }
    // A context that is only in memory (new, or the batch's copy) is stored as a whole; into one the client sent,
    // the new fields are spliced where it lies in the message's bytes.
    if (own == null || (changes & ADDED_CONTEXT) != 0) {
      return ADDED_CONTEXT;
    }
    return (ip ? FILLED_IP : 0) | (userAgent ? FILLED_USER_AGENT : 0);
  }

  private static boolean isBlank(Object value) {
    return value == null || (value instanceof String text && text.isBlank());
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
