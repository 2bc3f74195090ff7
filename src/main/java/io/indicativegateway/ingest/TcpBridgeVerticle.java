package io.indicativegateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The TCP event-bus bridge for producers that are not on the JVM: they may send requests to the ingest address
 * (and get its reply), nothing else. A publish, or a send that waits for no reply, is refused with an error
 * frame: a publish would reach every gateway of the cluster and be stored by each. The bridge makes the request
 * on the producer's behalf, waiting {@code replyTimeoutMs} for the reply unless the frame's {@code timeout}
 * header says otherwise. Off unless configured.
 */
public final class TcpBridgeVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final String ingestAddress;
  private final String host;
  private final int port;
  private final long replyTimeoutMs;
  private final RefusalLog refusals = new RefusalLog(log);
  private TcpEventBusBridge bridge;

  public TcpBridgeVerticle(String ingestAddress, String host, int port, long replyTimeoutMs) {
    this.ingestAddress = ingestAddress;
    this.host = host;
    this.port = port;
    this.replyTimeoutMs = replyTimeoutMs;
  }

  @Override
  public Future<?> start() {
    BridgeOptions permissions = new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(ingestAddress));
    bridge = TcpEventBusBridge.create(vertx, permissions, new NetServerOptions().setIdleTimeout(300), this::screen);
    return bridge.listen(port, host)
        .onSuccess(b -> log.info("TCP event-bus bridge on {}:{} (inbound: requests to {} only)", host, port,
            ingestAddress))
        .recover(e -> Future.failedFuture("cannot listen on " + host + ":" + port + " (GATEWAY_BRIDGE_PORT): "
            + e.getMessage()));
  }

  /** Lets requests through (the permissions then allow only the ingest address); refuses what would not reply. */
  private void screen(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    boolean unanswered = event.type() == BridgeEventType.PUBLISH
        || event.type() == BridgeEventType.SEND && frame != null && frame.getValue("replyAddress") == null;
    if (unanswered) {
      refusals.at(Level.WARN, event.type().name()).addKeyValue("transport", "bridge")
          .addKeyValue("refusal", "no-reply-address")
          .log("refused a {} frame without a reply address: send requests (with replyAddress) to {}",
              event.type().name().toLowerCase(), ingestAddress);
      event.complete(false);
      return;
    }
    if (event.type() == BridgeEventType.SEND && frame != null) {
      withReplyTimeout(frame);
    }
    event.complete(true);
  }

  /** The bridge reads a {@code timeout} header as the request's send timeout; without one it would wait 30 s. */
  private void withReplyTimeout(JsonObject frame) {
    Object headers = frame.getValue("headers");
    if (headers == null) {
      frame.put("headers", new JsonObject().put("timeout", replyTimeoutMs));
    } else if (headers instanceof JsonObject given && !given.containsKey("timeout")) {
      given.put("timeout", replyTimeoutMs);
    }
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
