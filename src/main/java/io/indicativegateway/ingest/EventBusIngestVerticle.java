package io.indicativegateway.ingest;

import io.indicativegateway.config.Source;
import io.indicativegateway.json.JsonDepth;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Ingestion for JVM producers on the event bus (contract section 3): the body is one Segment message or
 * {@code {"batch": [...]}}, the write key travels in the {@code writeKey} header or body field, and the reply is
 * the same JSON as the HTTP answer, sent after the durable write. Failures are replies with the HTTP status as
 * failure code.
 */
public final class EventBusIngestVerticle extends VerticleBase {

  public static final String WRITE_KEY_HEADER = "writeKey";

  private final IngestService service;
  private final WriteKeyAuthenticator authenticator;
  private final String address;
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
    long receivedAt = System.currentTimeMillis();
    try {
      if (!(message.body() instanceof JsonObject body)) {
        throw IngestException.badRequest("the body must be a JsonObject: one Segment message or {\"batch\": [...]}");
      }
      int maxDepth = service.limits().maxJsonDepth();
      if (JsonDepth.exceeds(body, maxDepth)) {
        // the limit HTTP bodies meet while parsing; it also bounds every later walk over the message
        throw IngestException.badRequest("the JSON body nests deeper than " + maxDepth + " levels");
      }
      boolean batch = body.getValue("batch") instanceof io.vertx.core.json.JsonArray;
      int limit = service.limits().maxBatchBytes();
      if (batch && body.toBuffer().length() > limit) {
        throw IngestException.tooLarge("the batch exceeds the limit of " + limit + " bytes");
      }
      Source source = authenticator.authenticate(message.headers().get(WRITE_KEY_HEADER), body);
      service.admit(source, batch ? body.getJsonArray("batch").size() : 1);
      service.ingest(new IngestCall(source, batch, null, body, null, receivedAt, "eventbus"))
          .onSuccess(message::reply)
          .onFailure(failure -> fail(message, failure));
    } catch (RuntimeException e) {
      fail(message, e);
    }
  }

  private static void fail(Message<Object> message, Throwable failure) {
    if (failure instanceof IngestException e) {
      message.fail(e.status(), e.getMessage());
    } else {
      message.fail(500, "internal error: " + failure.getMessage());
    }
  }
}
