package io.indicativegateway.translate;

import io.indicativegateway.json.ExactJson;
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
  private MessageConsumer<TranslationRequest> consumer;

  public TranslatorVerticle(SegmentTranslator translator) {
    this.translator = translator;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().<TranslationRequest>localConsumer(TranslationRequest.ADDRESS, this::handle);
    return consumer.completion();
  }

  private void handle(Message<TranslationRequest> request) {
    List<StoredRecord> records = request.body().records();
    List<TranslatedRecord> out = new ArrayList<>(records.size());
    Set<String> aliasPairs = new HashSet<>(); // one alias per distinct pair within a chunk
    for (StoredRecord record : records) {
      try {
        out.add(translate(record, aliasPairs));
      } catch (RuntimeException e) {
        // One message that cannot be translated must not hold up its project: it goes to the dead letters.
        log.error("stored message {} cannot be translated; dead-lettering it", record.seq(), e);
        out.add(TranslatedRecord.failed(record, "cannot be translated: " + e));
      }
    }
    request.reply(new TranslationResult(out));
  }

  private TranslatedRecord translate(StoredRecord record, Set<String> aliasPairs) {
    JsonObject message = ExactJson.parseObject(record.message());
    List<IndicativeItem> items = translator.translate(message);
    if (items.isEmpty()) {
      // Ingestion accepts only messages that translate to something; never drop one silently.
      return TranslatedRecord.failed(record, "its translation has nothing for Indicative");
    }
    List<EncodedItem> encoded = new ArrayList<>(items.size());
    for (IndicativeItem item : items) {
      if (item.kind() == IndicativeItem.Kind.ALIAS
          && !aliasPairs.add(item.body().getString("previousId") + '\u0000' + item.body().getString("newId"))) {
        continue;
      }
      encoded.add(new EncodedItem(item.kind(), item.body().toBuffer()));
    }
    return TranslatedRecord.of(record, encoded); // may be empty: an alias this chunk already sends
  }
}
