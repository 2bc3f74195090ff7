package io.indicativegateway.translate;

import io.indicativegateway.store.StoredRecord;
import java.util.List;

/**
 * A stored message and the Indicative items it became, in sending order.
 *
 * @param failure why the message could not be translated (it is dead-lettered), or null
 */
public record TranslatedRecord(StoredRecord record, List<EncodedItem> items, String failure) {

  public static TranslatedRecord of(StoredRecord record, List<EncodedItem> items) {
    return new TranslatedRecord(record, items, null);
  }

  public static TranslatedRecord failed(StoredRecord record, String failure) {
    return new TranslatedRecord(record, List.of(), failure);
  }
}
