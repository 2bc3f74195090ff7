package io.indicativegateway;

import io.indicativegateway.config.GatewayConfig;
import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/**
 * A real gateway for tests: the Indicative simulator on loopback, the gateway on a free port with its store in a
 * temporary directory, and an HTTP client. Fast delivery settings so tests do not wait on production timings.
 */
public final class GatewayHarness implements AutoCloseable {

  public static final String WRITE_KEY = "wk-test";
  public static final String PROJECT_KEY = "proj-test";
  public static final String OTHER_WRITE_KEY = "wk-other";
  public static final String OTHER_PROJECT_KEY = "proj-other";
  public static final String DISABLED_WRITE_KEY = "wk-disabled";

  public final Vertx vertx;
  public final Path dataDir;
  public final IndicativeSimulator simulator;
  public final WebClient client;
  private final Map<String, String> env;
  private final JsonObject configFile;
  public Gateway gateway;
  public int port;

  private final MeterRegistry registry;

  private GatewayHarness(Vertx vertx, Path dataDir, IndicativeSimulator simulator, Map<String, String> env,
                         JsonObject configFile, MeterRegistry registry) {
    this.registry = registry;
    this.configFile = configFile;
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.simulator = simulator;
    this.env = env;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDecompressionSupported(false));
  }

  /** Starts the simulator and a gateway; {@code overrides} are extra environment variables. */
  public static GatewayHarness start(Vertx vertx, Path dataDir, Map<String, String> overrides) throws Exception {
    return start(vertx, dataDir, overrides, new SimulatorOptions());
  }

  public static GatewayHarness start(Vertx vertx, Path dataDir, Map<String, String> overrides,
                                     SimulatorOptions simulatorOptions) throws Exception {
    return start(vertx, dataDir, overrides, simulatorOptions, new SimpleMeterRegistry());
  }

  public static GatewayHarness start(Vertx vertx, Path dataDir, Map<String, String> overrides,
                                     SimulatorOptions simulatorOptions, MeterRegistry registry) throws Exception {
    return start(vertx, dataDir, overrides, new JsonObject(), simulatorOptions, registry);
  }

  /** As {@link #start(Vertx, Path, Map)}, with {@code configFile} as the content of the YAML config file. */
  public static GatewayHarness start(Vertx vertx, Path dataDir, Map<String, String> overrides, JsonObject configFile)
      throws Exception {
    return start(vertx, dataDir, overrides, configFile, new SimulatorOptions(), new SimpleMeterRegistry());
  }

  private static GatewayHarness start(Vertx vertx, Path dataDir, Map<String, String> overrides, JsonObject configFile,
                                      SimulatorOptions simulatorOptions, MeterRegistry registry) throws Exception {
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx, simulatorOptions).await(10, TimeUnit.SECONDS);
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_HOST", "127.0.0.1");
    env.put("GATEWAY_DATA_DIR", dataDir.toString());
    env.put("INDICATIVE_URL", simulator.baseUrl());
    env.put("GATEWAY_SOURCES", WRITE_KEY + "=" + PROJECT_KEY + "," + OTHER_WRITE_KEY + "=" + OTHER_PROJECT_KEY);
    env.put("GATEWAY_DELIVERY_LINGER_MS", "5");
    env.put("GATEWAY_DELIVERY_RETRY_BASE_MS", "20");
    env.put("GATEWAY_DELIVERY_RETRY_CAP_MS", "200");
    env.put("GATEWAY_BREAKER_RESET_TIMEOUT_MS", "300");
    env.put("GATEWAY_DELIVERY_REQUEST_TIMEOUT_MS", "3000");
    env.put("GATEWAY_SHUTDOWN_GRACE_MS", "2000");
    env.put("GATEWAY_HTTP_INSTANCES", "2");
    env.put("GATEWAY_TRANSLATION_INSTANCES", "2");
    env.putAll(overrides);
    env.values().removeIf(String::isEmpty); // "" in overrides means: leave this variable unset
    GatewayHarness harness = new GatewayHarness(vertx, dataDir, simulator, env, configFile, registry);
    harness.startGateway();
    return harness;
  }

  public void startGateway() throws Exception {
    port = freePort();
    Map<String, String> withPort = new HashMap<>(env);
    withPort.put("GATEWAY_PORT", Integer.toString(port));
    GatewayConfig config = GatewayConfig.from(configFile, withPort);
    gateway = Gateway.start(vertx, config, registry).await(20, TimeUnit.SECONDS);
  }

  public void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.stop().await(30, TimeUnit.SECONDS);
      gateway = null;
    }
  }

  /** Stops the gateway and starts a new one on the same data directory. */
  public void restartGateway() throws Exception {
    stopGateway();
    startGateway();
  }

  public HttpRequest<Buffer> post(String path) {
    return client.post(port, "127.0.0.1", path).timeout(20_000);
  }

  public HttpRequest<Buffer> post(String path, String writeKey) {
    return post(path).putHeader("Authorization", basic(writeKey));
  }

  public HttpResponse<Buffer> send(String path, String writeKey, JsonObject body) throws Exception {
    return post(path, writeKey).putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()).await(30, TimeUnit.SECONDS);
  }

  public static String basic(String writeKey) {
    return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  /** Polls until the condition holds; fails with {@code what} after the timeout. */
  public static void eventually(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A port nothing listens on right now, for a server a test starts. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stopGateway();
    } finally {
      client.close();
      simulator.close().await(10, TimeUnit.SECONDS);
    }
  }
}
