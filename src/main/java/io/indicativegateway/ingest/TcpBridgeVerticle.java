package io.indicativegateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge for producers that are not on the JVM: they may send to the ingest address (and get
 * its reply), nothing else. Off unless configured.
 */
public final class TcpBridgeVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final String ingestAddress;
  private final String host;
  private final int port;
  private TcpEventBusBridge bridge;

  public TcpBridgeVerticle(String ingestAddress, String host, int port) {
    this.ingestAddress = ingestAddress;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    BridgeOptions permissions = new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(ingestAddress));
    bridge = TcpEventBusBridge.create(vertx, permissions, new NetServerOptions().setIdleTimeout(300));
    return bridge.listen(port, host)
        .onSuccess(b -> log.info("TCP event-bus bridge on {}:{} (inbound: {} only)", host, port, ingestAddress))
        .recover(e -> Future.failedFuture("cannot listen on " + host + ":" + port + " (GATEWAY_BRIDGE_PORT): "
            + e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
