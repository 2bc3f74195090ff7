package io.indicativegateway.translate;

import io.vertx.core.json.JsonObject;

/**
 * Names the Indicative event of a track, page or screen call from the configured templates: {@code {event}} in
 * the track template is the call's {@code event}; {@code {name}} in the page and screen templates is the call's
 * {@code name}, else {@code properties.name}. A page or screen without a (non-blank) name gets the unnamed form.
 */
final class EventNamer {

  private final TranslationSettings settings;

  EventNamer(TranslationSettings settings) {
    this.settings = settings;
  }

  /** The event name, or {@code null} when there is none (a track call without an event). */
  String name(String type, JsonObject message) {
    return switch (type) {
      case "track" -> {
        String event = JsonFields.scalarText(message.getValue("event"));
        yield event == null || event.isEmpty() ? null : settings.trackNameTemplate().replace("{event}", event);
      }
      case "page" -> named(message, settings.pageNameTemplate(), settings.pageUnnamed());
      case "screen" -> named(message, settings.screenNameTemplate(), settings.screenUnnamed());
      default -> null;
    };
  }

  private static String named(JsonObject message, String template, String unnamed) {
    String name = nonBlank(JsonFields.scalarText(message.getValue("name")));
    if (name == null) {
      name = nonBlank(JsonFields.scalarText(JsonFields.value(JsonFields.object(message, "properties"), "name")));
    }
    return name == null ? unnamed : template.replace("{name}", name);
  }

  private static String nonBlank(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
