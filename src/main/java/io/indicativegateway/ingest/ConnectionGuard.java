package io.indicativegateway.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow or greedy clients from holding connections: at most {@code maxConnections} open (shared by all HTTP
 * verticle instances), and once a request's headers are in, the request and its answer must be done within the
 * request timeout (a client trickling its body is closed, even though it is never idle); the same timeout then
 * bounds the wait for the next request.
 *
 * <p>Vert.x 5 tells the server about a connection only when its first request's headers are complete, so a client
 * still sending headers is bounded by the idle timeout and the header size limit only: a load balancer with a
 * header timeout belongs in front of an exposed gateway. One guard per verticle instance; its connections all
 * live on that instance's event loop.
 */
final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final AtomicInteger open;
  private final int maxConnections;
  private final long requestTimeoutMs;
  private final Map<HttpConnection, Long> timers = new HashMap<>(); // bounded by maxConnections

  ConnectionGuard(Vertx vertx, AtomicInteger open, int maxConnections, long requestTimeoutMs) {
    this.vertx = vertx;
    this.open = open;
    this.maxConnections = maxConnections;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  void connected(HttpConnection connection) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      log.warn("refusing a connection from {}: {} connections are open", connection.remoteAddress(),
          maxConnections);
      connection.close();
      return;
    }
    connection.closeHandler(v -> {
      open.decrementAndGet();
      cancel(connection);
    });
    arm(connection, null);
  }

  /** Headers arrived: the whole request (body included) and its answer must be done within the timeout. */
  void requestStarted(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    arm(connection, request);
    request.response().endHandler(v -> arm(connection, null)); // waiting for the next request
  }

  private void arm(HttpConnection connection, HttpServerRequest request) {
    cancel(connection);
    long id = vertx.setTimer(requestTimeoutMs, t -> {
      timers.remove(connection);
      if (request != null && !request.response().ended() && !request.response().closed()) {
        request.response().setStatusCode(408).putHeader(HttpHeaders.CONNECTION, "close")
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end("{\"success\":false,\"error\":\"the request was not completed in time\"}");
      }
      connection.close();
    });
    timers.put(connection, id);
  }

  private void cancel(HttpConnection connection) {
    Long id = timers.remove(connection);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }
}
