package io.indicativegateway.ingest;

import io.vertx.core.json.JsonObject;
import io.indicativegateway.translate.IdFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * The synchronous checks a Segment message must pass before it is accepted (contract section 2), and the small
 * normalizations that go with them: the endpoint sets {@code type}, a scalar {@code event} becomes a string, a
 * numeric {@code messageId} becomes a string. Pure: no I/O.
 */
public final class MessageValidator {

  public static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "alias", "group");
  static final int MAX_MESSAGE_ID_LENGTH = 100;
  /**
   * Longest id (UTF-16 units) accepted: Indicative's string limit. Longer ids are refused rather than cut, since
   * cutting would merge distinct users.
   */
  static final int MAX_ID_LENGTH = 255;

  private MessageValidator() {}

  /**
   * Validates and normalizes {@code message} in place.
   *
   * @param pathType the call type set by the endpoint ({@code /v1/track} ...), or null for batch elements
   * @return null when valid, else an error that names the field
   */
  public static String validate(JsonObject message, String pathType) {
    String type = pathType;
    if (type == null) {
      Object declared = message.getValue("type");
      if (declared == null) {
        return "type is required: one of " + String.join(", ", TYPES.stream().sorted().toList());
      }
      type = declared instanceof String text ? text.trim().toLowerCase(Locale.ROOT) : "";
      if (!TYPES.contains(type)) {
        return "type must be one of " + String.join(", ", TYPES.stream().sorted().toList()) + ", got "
            + abbreviate(String.valueOf(declared));
      }
    }
    message.put("type", type);

    for (String container : new String[] {"context", "properties", "traits", "integrations"}) {
      Object value = message.getValue(container);
      if (value != null && !(value instanceof JsonObject)) {
        return container + " must be a JSON object";
      }
    }
    for (String field : new String[] {"userId", "anonymousId", "previousId", "groupId"}) {
      String idError = checkId(message, field);
      if (idError != null) {
        return idError;
      }
    }
    String messageIdError = normalizeMessageId(message);
    if (messageIdError != null) {
      return messageIdError;
    }

    String userId = idText(message.getValue("userId"));
    String anonymousId = idText(message.getValue("anonymousId"));
    if (userId == null && anonymousId == null) {
      return "userId or anonymousId is required";
    }
    return switch (type) {
      case "track" -> normalizeEvent(message);
      case "alias" -> checkAlias(message, userId != null ? userId : anonymousId);
      case "group" -> idText(message.getValue("groupId")) == null ? "groupId is required for group calls" : null;
      default -> null;
    };
  }

  private static String checkId(JsonObject message, String field) {
    Object value = message.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String) && !(value instanceof Number)) {
      return field + " must be a string or a number";
    }
    String text = idText(value);
    if (text == null && value instanceof Number) {
      return field + " is a number too large to be an id";
    }
    if (text != null && text.length() > MAX_ID_LENGTH) {
      return field + " must be at most " + MAX_ID_LENGTH + " characters";
    }
    return null;
  }

  private static String normalizeMessageId(JsonObject message) {
    Object value = message.getValue("messageId");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String) && !(value instanceof Number)) {
      return "messageId must be a string";
    }
    String text = idText(value);
    if (text == null && value instanceof Number) {
      return "messageId is a number too large to be an id";
    }
    if (text == null) {
      message.remove("messageId"); // empty: a new one is generated
      return null;
    }
    if (text.codePointCount(0, text.length()) > MAX_MESSAGE_ID_LENGTH) {
      return "messageId must be at most " + MAX_MESSAGE_ID_LENGTH + " characters";
    }
    message.put("messageId", text);
    return null;
  }

  private static String normalizeEvent(JsonObject message) {
    Object event = message.getValue("event");
    if (event == null) {
      return "event is required for track calls";
    }
    if (!(event instanceof String || event instanceof Number || event instanceof Boolean)) {
      return "event must be a string";
    }
    String text = event instanceof Boolean ? event.toString() : IdFormatter.format(event);
    if (text == null) {
      return event instanceof Number ? "event is a number too large to be a name" : "event must not be empty";
    }
    message.put("event", text);
    return null;
  }

  private static String checkAlias(JsonObject message, String newId) {
    Object previous = message.getValue("previousId");
    if (previous != null && !(previous instanceof String) && !(previous instanceof Number)) {
      return "previousId must be a string or a number";
    }
    String previousId = idText(previous);
    if (previousId == null) {
      return "previousId is required for alias calls";
    }
    if (previousId.equals(newId)) {
      return "previousId must differ from userId (both are '" + abbreviate(newId) + "')";
    }
    return null;
  }

  /** An id as Indicative sees it (numbers keep every digit); null when absent, empty or not a usable value. */
  public static String idText(Object value) {
    return IdFormatter.format(value);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
