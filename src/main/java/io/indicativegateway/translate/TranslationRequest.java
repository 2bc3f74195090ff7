package io.indicativegateway.translate;

import io.indicativegateway.store.StoredRecord;
import java.util.List;

/** Stored messages of one project for the translation verticle; sent by reference on the local event bus. */
public record TranslationRequest(List<StoredRecord> records) {

  /** Event-bus address of the translation verticle. */
  public static final String ADDRESS = "gateway.translate";
}
