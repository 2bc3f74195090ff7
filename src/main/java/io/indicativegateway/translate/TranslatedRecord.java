package io.indicativegateway.translate;

import io.indicativegateway.store.StoredRecord;
import java.util.List;

/** A stored message and the Indicative items it became, in sending order. */
public record TranslatedRecord(StoredRecord record, List<EncodedItem> items) {}
