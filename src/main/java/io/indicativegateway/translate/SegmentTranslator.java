package io.indicativegateway.translate;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Translates one enriched Segment message (as stored by ingestion) into the Indicative items to send, following
 * section 4 of the product contract.
 *
 * <ul>
 *   <li>track, page, screen: one {@link IndicativeItem.Kind#EVENT} {@code {eventName, eventUniqueId, eventTime,
 *       properties}}. Properties are the call's {@code properties}, then (page only) {@code context.page} fields,
 *       then {@code context.campaign} as {@code campaign.<k>}, then {@code browser}, {@code browser_version},
 *       {@code os} and {@code device} from {@code context.userAgent} (or {@code context.user_agent}); on a key
 *       collision the earlier source wins.</li>
 *   <li>identify: one {@link IndicativeItem.Kind#IDENTIFY} {@code {uniqueId, properties}} with the flattened
 *       {@code traits} and {@code context.traits} (traits win key by key, so a trait nested in one and set in the
 *       other both survive), without {@code id}, {@code userId} and {@code anonymousId}; then, when the message
 *       has both an anonymousId and a different userId, one {@link IndicativeItem.Kind#ALIAS} joining them.</li>
 *   <li>alias: one ALIAS {@code {previousId, newId}}, nothing when the two are equal.</li>
 *   <li>group: one IDENTIFY of the user with {@code groupId} and {@code group.<trait>} per flattened group trait
 *       (from {@code traits} only); nothing when the group has neither an id nor traits.</li>
 * </ul>
 *
 * <p>Ids are strings (numeric ids keep every digit, see {@link IdFormatter}); every string is cut to
 * {@link TranslationSettings#maxStringLength()} without splitting surrogate pairs, and lone surrogates become
 * U+FFFD. Pure and thread-safe: the only state is the user-agent cache.
 */
public final class SegmentTranslator {

  private final TranslationSettings settings;
  private final PropertyFlattener flattener;
  private final EventNamer namer;
  private final UserAgentDescriber userAgents;

  public SegmentTranslator(TranslationSettings settings) {
    this.settings = settings;
    this.flattener = new PropertyFlattener(settings.maxStringLength());
    this.namer = new EventNamer(settings);
    this.userAgents = new UserAgentDescriber(settings.userAgentCacheSize());
  }

  /**
   * Returns the Indicative items for one enriched Segment message, in the order they must be sent (an identify
   * before its alias). Returns an empty list for a message it cannot translate (unknown type, no id, a track
   * without event); never throws.
   */
  public List<IndicativeItem> translate(JsonObject message) {
    if (message == null) {
      return List.of();
    }
    try {
      return translateUnguarded(message);
    } catch (RuntimeException e) {
      // Last line of defence: no known input gets here (the robustness and property tests feed every field every
      // wrong type, through translateUnguarded so this net cannot hide a failure), but a translation bug must not
      // break the caller's delivery loop.
      return List.of();
    }
  }

  /** {@link #translate} without its safety net: a bug shows as an exception. For tests. */
  List<IndicativeItem> translateUnguarded(JsonObject message) {
    String type = JsonFields.scalarText(message.getValue("type"));
    if (type == null) {
      return List.of();
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "track" -> event("track", message);
      case "page" -> event("page", message);
      case "screen" -> event("screen", message);
      case "identify" -> identify(message);
      case "alias" -> alias(message);
      case "group" -> group(message);
      default -> List.of();
    };
  }

  private List<IndicativeItem> event(String type, JsonObject message) {
    String uniqueId = userOrAnonymousId(message);
    String eventName = namer.name(type, message);
    OptionalLong eventTime = EventTimeResolver.resolve(message);
    if (uniqueId == null || eventName == null || eventTime.isEmpty()) {
      return List.of();
    }
    eventName = cut(eventName);
    if (eventName.isEmpty()) {
      return List.of();
    }
    JsonObject context = JsonFields.object(message, "context");
    FlatProperties properties = new FlatProperties(settings.maxStringLength());
    properties.addAbsent(flattener.flatten(JsonFields.object(message, "properties")));
    if (type.equals("page")) {
      properties.addAbsent(flattener.flatten(JsonFields.object(context, "page")));
    }
    properties.addAbsent(flattener.flatten(JsonFields.object(context, "campaign"), "campaign"));
    userAgents.describe(userAgent(context)).addAbsentTo(properties);
    return List.of(IndicativeItem.event(new JsonObject()
        .put("eventName", eventName)
        .put("eventUniqueId", uniqueId)
        .put("eventTime", eventTime.getAsLong())
        .put("properties", properties.toJson())));
  }

  private List<IndicativeItem> identify(JsonObject message) {
    String userId = id(message, "userId");
    String anonymousId = id(message, "anonymousId");
    String uniqueId = userId != null ? userId : anonymousId;
    if (uniqueId == null) {
      return List.of();
    }
    FlatProperties properties = new FlatProperties(settings.maxStringLength());
    properties.addAbsent(flattener.flatten(JsonFields.object(message, "traits")));
    properties.addAbsent(flattener.flatten(JsonFields.object(JsonFields.object(message, "context"), "traits")));
    // Ids are the user's identity, not properties of it.
    properties.remove("id");
    properties.remove("userId");
    properties.remove("anonymousId");
    List<IndicativeItem> items = new ArrayList<>(2);
    items.add(IndicativeItem.identify(new JsonObject().put("uniqueId", uniqueId).put("properties", properties.toJson())));
    if (userId != null && anonymousId != null && !userId.equals(anonymousId)) {
      items.add(aliasItem(anonymousId, userId));
    }
    return List.copyOf(items);
  }

  private List<IndicativeItem> alias(JsonObject message) {
    String previousId = id(message, "previousId");
    String newId = userOrAnonymousId(message);
    if (previousId == null || newId == null || previousId.equals(newId)) {
      return List.of();
    }
    return List.of(aliasItem(previousId, newId));
  }

  private List<IndicativeItem> group(JsonObject message) {
    String uniqueId = userOrAnonymousId(message);
    if (uniqueId == null) {
      return List.of();
    }
    FlatProperties properties = new FlatProperties(settings.maxStringLength());
    properties.addAbsent("groupId", id(message, "groupId"));
    properties.addAbsent(flattener.flatten(JsonFields.object(message, "traits"), "group"));
    JsonObject json = properties.toJson();
    if (json.isEmpty()) {
      return List.of();
    }
    return List.of(IndicativeItem.identify(new JsonObject().put("uniqueId", uniqueId).put("properties", json)));
  }

  private static IndicativeItem aliasItem(String previousId, String newId) {
    return IndicativeItem.alias(new JsonObject().put("previousId", previousId).put("newId", newId));
  }

  private String userOrAnonymousId(JsonObject message) {
    String userId = id(message, "userId");
    return userId != null ? userId : id(message, "anonymousId");
  }

  /** The id under {@code field} as Indicative gets it, or {@code null} when absent or blank. */
  private String id(JsonObject message, String field) {
    String id = IdFormatter.format(message.getValue(field));
    if (id == null) {
      return null;
    }
    String cut = cut(id);
    // 254 spaces then an emoji is a usable id, but only the spaces survive the cut; blank identifies nobody.
    return cut.isBlank() ? null : cut;
  }

  private static String userAgent(JsonObject context) {
    Object userAgent = JsonFields.value(context, "userAgent");
    if (!(userAgent instanceof CharSequence)) {
      userAgent = JsonFields.value(context, "user_agent"); // spelling used by some server-side sources
    }
    return userAgent instanceof CharSequence text ? text.toString() : null;
  }

  private String cut(String text) {
    return Utf16Truncator.truncate(text, settings.maxStringLength());
  }
}
