package io.indicativegateway.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is ever lost: the fat jar runs as a child process under load from several clients and is
 * killed with SIGKILL at random moments, restarted each time, and finally left to drain. Every messageId that
 * got a 200 must reach Indicative; duplicates may only come from batches in flight at a kill.
 */
class CrashRecoveryIT {

  static final String WRITE_KEY = "crash-write-key";
  private static final int KILLS = 4;
  private static final int CHUNK_RECORDS = 500;
  private static final int CHUNKS_PER_PROJECT = 2;

  private Vertx vertx;
  private IndicativeSimulator simulator;

  @BeforeEach
  void startSimulator() throws Exception {
    vertx = Vertx.vertx();
    simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setMaxRecorded(2_000_000))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopSimulator() throws Exception {
    simulator.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static Map<String, String> env(Path dir, IndicativeSimulator simulator) {
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_DATA_DIR", dir.resolve("store").toString());
    env.put("INDICATIVE_URL", simulator.baseUrl());
    env.put("GATEWAY_SOURCES", WRITE_KEY + "=crash-project");
    env.put("GATEWAY_DELIVERY_CHUNK_MAX_RECORDS", Integer.toString(CHUNK_RECORDS));
    env.put("GATEWAY_DELIVERY_MAX_CHUNKS_PER_PROJECT", Integer.toString(CHUNKS_PER_PROJECT));
    env.put("GATEWAY_DELIVERY_LINGER_MS", "20");
    env.put("GATEWAY_DELIVERY_RETRY_BASE_MS", "50");
    env.put("GATEWAY_DELIVERY_RETRY_CAP_MS", "500");
    env.put("GATEWAY_HTTP_INSTANCES", "1");
    env.put("GATEWAY_TRANSLATION_INSTANCES", "1");
    return env;
  }

  static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** messageId (property mid) -> how many times Indicative received it. */
  static Map<String, Integer> received(IndicativeSimulator simulator) {
    Map<String, Integer> counts = new HashMap<>();
    for (JsonObject event : simulator.events()) {
      String mid = event.getJsonObject("properties").getString("mid");
      if (mid != null) {
        counts.merge(mid, 1, Integer::sum);
      }
    }
    return counts;
  }

  static void awaitAllReceived(IndicativeSimulator simulator, Set<String> acknowledged, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // counting is cheap; reading every recorded event is not: only check ids once the count is there
      if (simulator.stats().acceptedEvents() >= acknowledged.size()
          && received(simulator).keySet().containsAll(acknowledged)) {
        return;
      }
      Thread.sleep(500);
    }
  }

  @Test
  void killedAgainAndAgainUnderLoadItLosesNoAcknowledgedMessage(@TempDir Path dir) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int port = freePort();
    Path log = dir.resolve("gateway.log");
    GatewayProcess gateway = new GatewayProcess(port, env(dir, simulator), JVM, log).start();
    LoadClients clients = new LoadClients(port, WRITE_KEY, 4, 50, 5).start();
    try {
      for (int kill = 0; kill < KILLS; kill++) {
        Thread.sleep(2000 + random.nextInt(3000));
        gateway.kill9();
        gateway.start();
      }
      Thread.sleep(2000);
    } finally {
      clients.close();
    }
    Set<String> acknowledged = new HashSet<>(clients.acknowledged);
    awaitAllReceived(simulator, acknowledged, Duration.ofSeconds(90));
    gateway.close();

    Map<String, Integer> received = received(simulator);
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(received.keySet());
    long deliveries = received.values().stream().mapToLong(Integer::longValue).sum();
    long duplicates = deliveries - received.size();
    System.out.printf("crash test (seed %d): kills=%d, 200s=%d messages, delivered=%d distinct, deliveries=%d, "
            + "duplicates=%d, statuses=%s%n", seed, KILLS, acknowledged.size(), received.size(), deliveries,
        duplicates, clients.statuses);
    Files.writeString(Path.of("target", "crash-test-report.txt"), String.format(
        "kills=%d acknowledged=%d delivered=%d duplicates=%d%n", KILLS, acknowledged.size(), received.size(),
        duplicates));

    assertThat(acknowledged).as("the clients got 200s").hasSizeGreaterThan(10_000);
    assertThat(lost).as("acknowledged but never delivered (see " + log + ")").isEmpty();
    // A kill can only resend what delivery had read and not yet removed: the chunks in flight.
    assertThat(duplicates).isLessThanOrEqualTo((long) KILLS * CHUNKS_PER_PROJECT * CHUNK_RECORDS);
  }
}
