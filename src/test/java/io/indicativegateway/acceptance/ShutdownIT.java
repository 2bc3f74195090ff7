package io.indicativegateway.acceptance;

import static io.indicativegateway.acceptance.CrashRecoveryIT.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM under load: the process exits within the grace period, and no acknowledged message is lost. */
class ShutdownIT {

  private static final long GRACE_MS = 4000;

  @Test
  void sigtermDuringLoadReturnsWithinTheGracePeriodAndLosesNothing(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx,
        new SimulatorOptions().setMaxRecorded(2_000_000)).await(10, TimeUnit.SECONDS);
    try {
      Map<String, String> env = CrashRecoveryIT.env(dir, simulator);
      env.put("GATEWAY_SHUTDOWN_GRACE_MS", Long.toString(GRACE_MS));
      simulator.delay(30); // a slow Indicative: there is a backlog when the signal comes
      GatewayProcess gateway = new GatewayProcess(CrashRecoveryIT.freePort(), env, CrashRecoveryIT.JVM,
          dir.resolve("gateway.log")).start();
      LoadClients clients = new LoadClients(gateway.port, WRITE_KEY, 4, 50, 5).start();
      Thread.sleep(5000);
      long tookMs = gateway.sigterm(Duration.ofSeconds(30));
      clients.close();
      System.out.printf("shutdown test: exited %d ms after SIGTERM (grace %d ms), %d messages acknowledged%n",
          tookMs, GRACE_MS, clients.acknowledged.size());
      assertThat(tookMs).isLessThan(GRACE_MS + 1500); // the grace period plus JVM exit

      simulator.delay(0);
      Set<String> acknowledged = new HashSet<>(clients.acknowledged);
      assertThat(acknowledged).hasSizeGreaterThan(1000);
      try (GatewayProcess restarted = gateway.start()) {
        CrashRecoveryIT.awaitAllReceived(simulator, acknowledged, Duration.ofSeconds(60));
      }
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(CrashRecoveryIT.received(simulator).keySet());
      assertThat(lost).isEmpty();
    } finally {
      simulator.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
