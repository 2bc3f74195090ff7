package io.indicativegateway.translate;

import io.vertx.core.buffer.Buffer;

/** An Indicative item already serialized to JSON (without apiKey), so delivery only concatenates bytes. */
public record EncodedItem(IndicativeItem.Kind kind, Buffer json) {}
