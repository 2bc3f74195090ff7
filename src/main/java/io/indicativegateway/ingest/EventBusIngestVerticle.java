package io.indicativegateway.ingest;

import io.indicativegateway.config.Source;
import io.indicativegateway.json.JsonDepth;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Ingestion for JVM producers on the event bus (contract section 3): the body is one Segment message or
 * {@code {"batch": [...]}}, the write key travels in the {@code writeKey} header or body field, and the reply is
 * the same JSON as the HTTP answer, sent after the durable write. Failures are replies with the HTTP status as
 * failure code.
 *
 * <p>Only requests are taken: a message without a reply address (a publish, or a send that waits for no answer)
 * is refused, counted and logged. A publish reaches every gateway of the cluster, and each would store and
 * deliver it (duplicates at Indicative); and a producer that waits for no answer cannot know that its message
 * was stored.
 */
public final class EventBusIngestVerticle extends VerticleBase {

  public static final String WRITE_KEY_HEADER = "writeKey";

  private static final Logger log = LoggerFactory.getLogger(EventBusIngestVerticle.class);

  private final IngestService service;
  private final WriteKeyAuthenticator authenticator;
  private final String address;
  private final RefusalLog refusals = new RefusalLog(log);
  private MessageConsumer<Object> consumer;

  public EventBusIngestVerticle(IngestService service, WriteKeyAuthenticator authenticator, String address) {
    this.service = service;
    this.authenticator = authenticator;
    this.address = address;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(address, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<Object> message) {
    if (message.replyAddress() == null) {
      service.countRefused("no-reply-address", 1);
      refusals.at(Level.WARN, "no-reply-address").addKeyValue("transport", "eventbus")
          .addKeyValue("refusal", "no-reply-address")
          .addKeyValue("publish", !message.isSend())
          .log("refused a message without a reply address on {}: send it with request(), not publish() or "
              + "send(), so that exactly one gateway stores it and the reply says it is stored", address);
      return;
    }
    IngestCall call;
    try {
      call = read(message);
    } catch (RuntimeException e) {
      service.countRefusedRequest(e);
      fail(message, null, e);
      return;
    }
    service.admit(call.source(), call.batch() ? call.body().getJsonArray("batch").size() : 1)
        .compose(quota -> service.ingest(call))
        .onSuccess(message::reply)
        .onFailure(failure -> fail(message, call.source(), failure));
  }

  /** Checks and authenticates the message; throws {@link IngestException} when it cannot be taken. */
  private IngestCall read(Message<Object> message) {
    long receivedAt = System.currentTimeMillis();
    if (!(message.body() instanceof JsonObject body)) {
      throw IngestException.badRequest("the body must be a JsonObject: one Segment message or {\"batch\": [...]}");
    }
    int maxDepth = service.limits().maxJsonDepth();
    if (JsonDepth.exceeds(body, maxDepth)) {
      // the limit HTTP bodies meet while parsing; it also bounds every later walk over the message
      throw IngestException.badRequest("the JSON body nests deeper than " + maxDepth + " levels");
    }
    boolean batch = body.getValue("batch") instanceof JsonArray;
    int limit = service.limits().maxBatchBytes();
    if (batch && body.toBuffer().length() > limit) {
      throw IngestException.tooLarge("the batch exceeds the limit of " + limit + " bytes");
    }
    Source source = authenticator.authenticate(message.headers().get(WRITE_KEY_HEADER), body);
    return new IngestCall(source, batch, null, body, null, receivedAt, "eventbus");
  }


  /** Fails the request with the HTTP status as failure code; {@code source} is null before authentication. */
  private void fail(Message<Object> message, Source source, Throwable failure) {
    if (failure instanceof IngestException e) {
      logRefusal(message, source, e);
      message.fail(e.status(), e.getMessage());
    } else {
      withRequestFields(log.atError(), message, source).setCause(failure).log("unexpected failure while ingesting");
      message.fail(500, "internal error: " + failure.getMessage());
    }
  }

  /** As over HTTP: what an operator may need to explain is logged, the producer's own mistakes (400) are not. */
  private void logRefusal(Message<Object> message, Source source, IngestException refusal) {
    LoggingEventBuilder line = refusals.forStatus(refusal.status());
    if (RefusalLog.writes(line)) {
      withRequestFields(line, message, source)
          .addKeyValue("status", refusal.status())
          .log("refused a message: {}", refusal.getMessage());
    }
  }

  /** What identifies the producer in a log line: never a key in full. */
  private static LoggingEventBuilder withRequestFields(LoggingEventBuilder line, Message<Object> message,
                                                       Source source) {
    return line.addKeyValue("transport", "eventbus")
        .addKeyValue("source", source != null ? source.name()
            : "writeKey " + Source.mask(message.headers().get(WRITE_KEY_HEADER)));
  }
}
