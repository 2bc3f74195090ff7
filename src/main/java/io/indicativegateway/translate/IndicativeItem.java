package io.indicativegateway.translate;

import io.vertx.core.json.JsonObject;

/**
 * One request item for Indicative, derived from a Segment message.
 *
 * <p>The body never contains the project's {@code apiKey}: delivery adds it, because the key belongs to the
 * project the message was stored for, not to the message.
 *
 * <ul>
 *   <li>{@link Kind#EVENT}: {@code {eventName, eventUniqueId, eventTime, properties}}, one element of the
 *       {@code events} array of {@code POST /event/batch}</li>
 *   <li>{@link Kind#IDENTIFY}: {@code {uniqueId, properties}} for {@code POST /identify}</li>
 *   <li>{@link Kind#ALIAS}: {@code {previousId, newId}} for {@code POST /alias}</li>
 * </ul>
 */
public record IndicativeItem(Kind kind, JsonObject body) {

  public enum Kind {
    EVENT("/event/batch"),
    IDENTIFY("/identify"),
    ALIAS("/alias");

    private final String path;

    Kind(String path) {
      this.path = path;
    }

    /** Path below Indicative's base URL ({@code .../service}). */
    public String path() {
      return path;
    }
  }

  public static IndicativeItem event(JsonObject body) {
    return new IndicativeItem(Kind.EVENT, body);
  }

  public static IndicativeItem identify(JsonObject body) {
    return new IndicativeItem(Kind.IDENTIFY, body);
  }

  public static IndicativeItem alias(JsonObject body) {
    return new IndicativeItem(Kind.ALIAS, body);
  }
}
