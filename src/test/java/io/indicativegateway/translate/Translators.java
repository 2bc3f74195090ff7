package io.indicativegateway.translate;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Translators shared by the tests, one per settings: building the user-agent parser takes a while. */
final class Translators {

  private static final Map<TranslationSettings, SegmentTranslator> BY_SETTINGS = new ConcurrentHashMap<>();

  private Translators() {}

  static SegmentTranslator defaults() {
    return with(TranslationSettings.defaults());
  }

  static SegmentTranslator with(TranslationSettings settings) {
    return BY_SETTINGS.computeIfAbsent(settings, SegmentTranslator::new);
  }

  /** Default settings with the given fields (named as the record components) replaced. */
  static TranslationSettings settings(JsonObject overrides) {
    TranslationSettings d = TranslationSettings.defaults();
    if (overrides == null) {
      return d;
    }
    return new TranslationSettings(
        overrides.getInteger("maxStringLength", d.maxStringLength()),
        overrides.getString("trackNameTemplate", d.trackNameTemplate()),
        overrides.getString("pageNameTemplate", d.pageNameTemplate()),
        overrides.getString("pageUnnamed", d.pageUnnamed()),
        overrides.getString("screenNameTemplate", d.screenNameTemplate()),
        overrides.getString("screenUnnamed", d.screenUnnamed()),
        overrides.getInteger("userAgentCacheSize", d.userAgentCacheSize()));
  }
}
