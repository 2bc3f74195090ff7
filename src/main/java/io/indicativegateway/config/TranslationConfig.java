package io.indicativegateway.config;

/** Naming and size rules applied when Segment calls become Indicative requests. */
public record TranslationConfig(
    int maxStringLength,
    String trackNameTemplate,
    String pageNameTemplate,
    String pageUnnamed,
    String screenNameTemplate,
    String screenUnnamed,
    int userAgentCacheSize,
    int instances) {}
