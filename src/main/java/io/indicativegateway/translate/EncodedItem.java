package io.indicativegateway.translate;

import io.indicativegateway.store.EventStore.AliasPair;
import io.vertx.core.buffer.Buffer;

/**
 * An Indicative item already serialized to JSON (without apiKey), so delivery only concatenates bytes.
 *
 * @param alias for an alias item, the pair, so delivery can remember it once sent; otherwise null
 */
public record EncodedItem(IndicativeItem.Kind kind, Buffer json, AliasPair alias) {}
