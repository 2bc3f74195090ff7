package io.indicativegateway.ingest;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a request body as raw bytes, whatever its Content-Type (SDKs send JSON as {@code text/plain}, form
 * and other types too), refusing with 413 as soon as it grows past the limit, so a client cannot make the
 * gateway buffer more than that. A client that goes away mid-body is dropped quietly.
 */
final class BoundedBodyHandler implements Handler<RoutingContext> {

  static final String BODY = "gateway.body";
  private static final Logger log = LoggerFactory.getLogger(BoundedBodyHandler.class);

  private final long limit;
  private final long statedLimit;
  private final BiConsumer<RoutingContext, IngestException> refuse;

  /**
   * @param limit bytes read off the wire before refusing
   * @param statedLimit the limit the answer names: the configured one, of which {@code limit} is a little above
   *     so a compressed body that came out slightly larger than its content is still read and judged inflated
   * @param refuse answers (and counts, and logs) a body refused as too large
   */
  BoundedBodyHandler(long limit, long statedLimit, BiConsumer<RoutingContext, IngestException> refuse) {
    this.limit = limit;
    this.statedLimit = statedLimit;
    this.refuse = refuse;
  }

  /** The collected body, for handlers after this one. */
  static Buffer body(RoutingContext ctx) {
    Buffer body = ctx.get(BODY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    long declared = declaredLength(request);
    if (declared > limit) {
      tooLarge(ctx);
      return;
    }
    Buffer body = Buffer.buffer((int) Math.max(0, Math.min(declared, limit)));
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        refused[0] = true;
        tooLarge(ctx);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (!refused[0]) {
        ctx.put(BODY, body);
        ctx.next();
      }
    });
    request.exceptionHandler(e -> log.debug("request body not received: {}", e.toString()));
    request.resume();
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void tooLarge(RoutingContext ctx) {
    // The rest of the body is not read: close the connection after answering.
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    refuse.accept(ctx, IngestException.tooLarge("the request body exceeds the limit of " + statedLimit + " bytes"));
  }
}
