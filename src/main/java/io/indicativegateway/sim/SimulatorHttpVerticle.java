package io.indicativegateway.sim;

import io.indicativegateway.sim.ServiceHandler.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server instance of the simulator, on the event loop of its deployment. Several instances listening on
 * the same host and port share the socket, so connections spread over event loops.
 */
final class SimulatorHttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorHttpVerticle.class);
  private static final int IDLE_TIMEOUT_SECONDS = 300;
  private static final int CONTROL_BODY_LIMIT = 64 * 1024;

  private final IndicativeSimulator simulator;
  private final ServiceHandler service;
  private final String host;
  private final int port;
  private final int maxBodyBytes;
  private final AtomicInteger boundPort;

  /**
   * @param port      port to listen on; negative: a random port shared by the servers given that same value
   * @param boundPort receives the port actually bound
   */
  SimulatorHttpVerticle(IndicativeSimulator simulator, ServiceHandler service, String host, int port,
                        int maxBodyBytes, AtomicInteger boundPort) {
    this.simulator = simulator;
    this.service = service;
    this.host = host;
    this.port = port;
    this.maxBodyBytes = maxBodyBytes;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS);
    return vertx.createHttpServer(options)
        .requestHandler(router())
        .listen()
        .onSuccess(server -> boundPort.set(server.actualPort()));
  }

  private Router router() {
    Router router = Router.router(vertx);
    ControlHandler control = new ControlHandler(simulator);
    String c = ControlHandler.BASE_PATH;
    router.get(c + "/stats").handler(control::stats);
    router.get(c + "/received").handler(control::received);
    router.get(c + "/behavior").handler(control::getBehavior);
    router.post(c + "/behavior").handler(BodyHandler.create(false).setBodyLimit(CONTROL_BODY_LIMIT))
        .handler(control::postBehavior);
    router.post(c + "/reset").handler(control::reset);

    String s = ServiceHandler.BASE_PATH;
    router.post(s + "/*").handler(BodyHandler.create(false)
        .setBodyLimit(maxBodyBytes)
        .setPreallocateBodyBuffer(true));
    for (Endpoint endpoint : Endpoint.values()) {
      router.post(s + endpoint.path).handler(ctx -> service.handle(ctx, endpoint));
    }

    router.errorHandler(404, ctx -> answerFailure(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
        + ctx.request().path()));
    router.errorHandler(405, ctx -> answerFailure(ctx, 405, "method " + ctx.request().method()
        + " not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> answerFailure(ctx, 413, "body is larger than " + limitFor(ctx) + " bytes"));
    router.errorHandler(417, ctx -> answerFailure(ctx, 417, "expectation failed"));
    router.errorHandler(500, ctx -> {
      LOG.error("Simulator failed to handle {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      answerFailure(ctx, 500, "internal simulator error");
    });
    return router;
  }

  private int limitFor(io.vertx.ext.web.RoutingContext ctx) {
    return ctx.request().path().startsWith(ControlHandler.BASE_PATH) ? CONTROL_BODY_LIMIT : maxBodyBytes;
  }

  /** Control endpoints are answered without being recorded; everything else counts as a request. */
  private void answerFailure(io.vertx.ext.web.RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.request().path().startsWith(ControlHandler.BASE_PATH + "/")) {
      ControlHandler.error(ctx, status, message);
    } else {
      service.handleFailure(ctx, status, message);
    }
  }
}
