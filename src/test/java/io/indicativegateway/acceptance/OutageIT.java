package io.indicativegateway.acceptance;

import static io.indicativegateway.acceptance.CrashRecoveryIT.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indicative refuses everything for a stretch while clients keep sending: the gateway's heap stays under its
 * bound because the backlog lives on disk, and after recovery every acknowledged message arrives. With a tiny
 * store, clients get 503 + Retry-After once it is full, and still none of the 200s is lost.
 */
class OutageIT {

  private static final long HEAP_BOUND = 128L << 20;
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

  private static final String ADMIN_TOKEN = "outage-test-admin-token";

  /** The store's own size accounting: bytes of undelivered messages. */
  private static long backlogBytes(int adminPort) throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + adminPort + "/admin/status"))
            .header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new io.vertx.core.json.JsonObject(response.body()).getLong("bytes");
  }

  private static long sizeOf(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void aLongOutageKeepsTheHeapBoundedAndLosesNothing(@TempDir Path dir) throws Exception {
    Map<String, String> env = CrashRecoveryIT.env(dir, simulator);
    env.put("GATEWAY_STORE_MAX_BYTES", Long.toString(8L << 30));
    int adminPort = CrashRecoveryIT.freePort();
    env.put("GATEWAY_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("GATEWAY_ADMIN_PORT", Integer.toString(adminPort));
    List<String> jvm = List.of("-Xmx" + (HEAP_BOUND >> 20) + "m", "-XX:+ExitOnOutOfMemoryError",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    simulator.failAlways(503);
    long maxHeap = 0;
    try (GatewayProcess gateway = new GatewayProcess(CrashRecoveryIT.freePort(), env, jvm,
        dir.resolve("gateway.log")).start()) {
      try (LoadClients clients = new LoadClients(gateway.port, WRITE_KEY, 4, 100, 15).start()) {
        for (int second = 0; second < 20; second += 2) {
          Thread.sleep(2000);
          assertThat(gateway.alive()).as("still running during the outage").isTrue();
          maxHeap = Math.max(maxHeap, gateway.heapUsedBytes());
        }
        clients.close();
        Set<String> acknowledged = new HashSet<>(clients.acknowledged);
        long onDisk = sizeOf(dir.resolve("store"));
        long backlog = backlogBytes(adminPort);
        System.out.printf("outage test: %d messages acknowledged while Indicative refused everything; "
                + "backlog %d MB held in the store (%d MB on disk, compressed); max heap used %d MB (bound %d MB)%n",
            acknowledged.size(), backlog >> 20, onDisk >> 20, maxHeap >> 20, HEAP_BOUND >> 20);
        Files.writeString(Path.of("target", "outage-test-report.txt"), String.format(
            "acknowledged=%d backlogMB=%d onDiskMB=%d maxHeapUsedMB=%d heapBoundMB=%d%n", acknowledged.size(),
            backlog >> 20, onDisk >> 20, maxHeap >> 20, HEAP_BOUND >> 20));
        assertThat(acknowledged).hasSizeGreaterThan(50_000);
        assertThat(maxHeap).isLessThan(HEAP_BOUND);
        assertThat(backlog).as("the backlog is in the store, not the heap").isGreaterThan(2 * maxHeap);

        simulator.clearBehaviors(); // Indicative is back
        CrashRecoveryIT.awaitAllReceived(simulator, acknowledged, Duration.ofSeconds(120));
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(CrashRecoveryIT.received(simulator).keySet());
        assertThat(lost).isEmpty();
        assertThat(gateway.alive()).isTrue();
      }
    }
  }

  @Test
  void aTinyStoreAnswers503WithRetryAfterOnceFullAndNoAcknowledgedMessageIsLost(@TempDir Path dir)
      throws Exception {
    Map<String, String> env = CrashRecoveryIT.env(dir, simulator);
    env.put("GATEWAY_STORE_MAX_BYTES", Long.toString(4L << 20));
    simulator.failAlways(503);
    try (GatewayProcess gateway = new GatewayProcess(CrashRecoveryIT.freePort(), env, CrashRecoveryIT.JVM,
        dir.resolve("gateway.log")).start()) {
      LoadClients clients = new LoadClients(gateway.port, WRITE_KEY, 2, 50, 10).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (clients.retryAfterSeen.get() < 20 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      clients.close();
      assertThat(clients.statuses.get(503)).as("503s once the store is full").isNotNull();
      assertThat(clients.retryAfterSeen.get()).isGreaterThanOrEqualTo(20);
      Set<String> acknowledged = new HashSet<>(clients.acknowledged);
      assertThat(acknowledged).isNotEmpty();

      simulator.clearBehaviors();
      CrashRecoveryIT.awaitAllReceived(simulator, acknowledged, Duration.ofSeconds(60));
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(CrashRecoveryIT.received(simulator).keySet());
      assertThat(lost).isEmpty();
    }
  }
}
