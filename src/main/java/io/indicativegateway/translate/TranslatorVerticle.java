package io.indicativegateway.translate;

import io.indicativegateway.json.ExactJson;
import io.indicativegateway.store.EventStore;
import io.indicativegateway.store.EventStore.AliasPair;
import io.indicativegateway.store.StoredRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns chunks of stored Segment messages into serialized Indicative items, on {@link TranslationRequest#ADDRESS}.
 * Deployed as worker instances: translation is CPU work (JSON parsing, user-agent parsing) that must not hold an
 * event loop. The rules themselves live in the pure {@link SegmentTranslator}.
 */
public final class TranslatorVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TranslatorVerticle.class);

  private final SegmentTranslator translator;
  private final EventStore store;
  private MessageConsumer<TranslationRequest> consumer;

  /** @param store consulted for alias pairs already delivered (this verticle runs on worker threads) */
  public TranslatorVerticle(SegmentTranslator translator, EventStore store) {
    this.translator = translator;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().<TranslationRequest>localConsumer(TranslationRequest.ADDRESS, this::handle);
    return consumer.completion();
  }

  private void handle(Message<TranslationRequest> request) {
    List<StoredRecord> records = request.body().records();
    List<TranslatedRecord> out = new ArrayList<>(records.size());
    Set<AliasPair> aliasPairs = new HashSet<>(); // one alias per distinct pair within a chunk
    for (StoredRecord record : records) {
      try {
        out.add(translate(record, aliasPairs));
      } catch (RuntimeException e) {
        // One message that cannot be translated must not hold up its project: it goes to the dead letters.
        log.error("stored message {} cannot be translated; dead-lettering it", record.seq(), e);
        out.add(TranslatedRecord.failed(record, "cannot be translated: " + e));
      }
    }
    request.reply(new TranslationResult(withoutAliasesAlreadySent(out, aliasPairs)));
  }

  /** Alias pairs delivered within the dedup window (by an earlier request) are not sent again. */
  private List<TranslatedRecord> withoutAliasesAlreadySent(List<TranslatedRecord> records, Set<AliasPair> pairs) {
    if (pairs.isEmpty()) {
      return records;
    }
    Set<AliasPair> sent;
    try {
      sent = store.aliasesAlreadySent(pairs);
    } catch (RuntimeException e) {
      log.warn("could not consult the alias ledger ({}); sending the aliases", e.getMessage());
      return records;
    }
    if (sent.isEmpty()) {
      return records;
    }
    List<TranslatedRecord> out = new ArrayList<>(records.size());
    for (TranslatedRecord record : records) {
      List<EncodedItem> items = record.items().stream()
          .filter(item -> item.alias() == null || !sent.contains(item.alias()))
          .toList();
      out.add(new TranslatedRecord(record.record(), items, record.failure()));
    }
    return out;
  }

  private TranslatedRecord translate(StoredRecord record, Set<AliasPair> aliasPairs) {
    JsonObject message = ExactJson.parseObject(record.message());
    List<IndicativeItem> items = translator.translate(message);
    if (items.isEmpty()) {
      // Ingestion accepts only messages that translate to something; never drop one silently.
      return TranslatedRecord.failed(record, "its translation has nothing for Indicative");
    }
    List<EncodedItem> encoded = new ArrayList<>(items.size());
    for (IndicativeItem item : items) {
      AliasPair alias = null;
      if (item.kind() == IndicativeItem.Kind.ALIAS) {
        alias = new AliasPair(record.projectId(), item.body().getString("previousId"),
            item.body().getString("newId"));
        if (!aliasPairs.add(alias)) {
          continue;
        }
      }
      encoded.add(new EncodedItem(item.kind(), ItemEncoder.encode(item.body()), alias));
    }
    return TranslatedRecord.of(record, encoded); // may be empty: an alias this chunk already sends
  }
}
