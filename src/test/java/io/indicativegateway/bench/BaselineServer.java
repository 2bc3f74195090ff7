package io.indicativegateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The limit baseline for benchmarks: what this machine's HTTP stack does at all with the same requests. It reads
 * each body, parses the JSON and answers 200, nothing else (no validation, no store, no delivery), with one
 * instance per core like the gateway.
 *
 * <p>{@code java -cp target/test-classes:target/indicative-gateway.jar io.indicativegateway.bench.BaselineServer PORT}
 */
public final class BaselineServer extends VerticleBase {

  private static final Buffer OK = Buffer.buffer("{\"success\":true}");
  private final int port;

  BaselineServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
        .requestHandler(request -> request.body().onSuccess(body -> {
          body.toJsonObject(); // parse, as any server must
          request.response().putHeader("Content-Type", "application/json").end(OK);
        }))
        .listen();
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new BaselineServer(port),
        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
    System.out.println("baseline listening on 127.0.0.1:" + port);
  }
}
