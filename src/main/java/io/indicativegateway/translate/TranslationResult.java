package io.indicativegateway.translate;

import java.util.List;

/** The translation verticle's reply: one entry per requested record, in the same order. */
public record TranslationResult(List<TranslatedRecord> records) {}
