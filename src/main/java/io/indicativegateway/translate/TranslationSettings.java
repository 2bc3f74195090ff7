package io.indicativegateway.translate;

import java.util.Objects;

/**
 * How Segment messages become Indicative items.
 *
 * @param maxStringLength longest string (in UTF-16 code units) sent to Indicative: property keys and values,
 *     event names and ids are cut to it
 * @param trackNameTemplate event name of a track call; {@code {event}} is replaced by the call's event
 * @param pageNameTemplate event name of a named page call; {@code {name}} is replaced by the page name
 * @param pageUnnamed event name of a page call without a name
 * @param screenNameTemplate event name of a named screen call; {@code {name}} is replaced by the screen name
 * @param screenUnnamed event name of a screen call without a name
 * @param userAgentCacheSize how many parsed user agents are kept; 0 disables the cache
 */
public record TranslationSettings(
    int maxStringLength,
    String trackNameTemplate,
    String pageNameTemplate,
    String pageUnnamed,
    String screenNameTemplate,
    String screenUnnamed,
    int userAgentCacheSize) {

  public TranslationSettings {
    if (maxStringLength < 1) {
      throw new IllegalArgumentException("maxStringLength must be at least 1, got " + maxStringLength);
    }
    if (userAgentCacheSize < 0) {
      throw new IllegalArgumentException("userAgentCacheSize must not be negative, got " + userAgentCacheSize);
    }
    Objects.requireNonNull(trackNameTemplate, "trackNameTemplate");
    Objects.requireNonNull(pageNameTemplate, "pageNameTemplate");
    Objects.requireNonNull(pageUnnamed, "pageUnnamed");
    Objects.requireNonNull(screenNameTemplate, "screenNameTemplate");
    Objects.requireNonNull(screenUnnamed, "screenUnnamed");
  }

  public static TranslationSettings defaults() {
    return new TranslationSettings(
        255, "{event}", "Page View {name}", "Page View", "Screen View {name}", "Screen View", 10_000);
  }
}
