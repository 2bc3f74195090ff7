package io.indicativegateway.deliver;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Stopping flushes what Indicative takes within the grace period and keeps the rest stored. */
@ExtendWith(VertxExtension.class)
class GracefulStopTest {

  private static int send(GatewayHarness gw, int requests) throws Exception {
    int sent = 0;
    for (int r = 0; r < requests; r++) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 100; i++) {
        batch.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "E-" + r + "-" + i));
        sent++;
      }
      assertThat(gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch)).statusCode())
          .isEqualTo(200);
    }
    return sent;
  }

  @Test
  void stoppingDeliversTheBacklogWithinTheGracePeriod(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_SHUTDOWN_GRACE_MS", "20000",
        "GATEWAY_DELIVERY_MAX_IN_FLIGHT", "1", "GATEWAY_DELIVERY_LINGER_MS", "1000"))) {
      gw.simulator.delay(30); // slower than ingestion: a backlog builds up
      int sent = send(gw, 30);
      assertThat(gw.gateway.store().undeliveredCount()).isGreaterThan(500);
      long started = System.nanoTime();
      gw.stopGateway();
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(gw.simulator.events()).hasSize(sent);
      assertThat(tookMs).isLessThan(20_000);
      gw.simulator.delay(0);
      gw.startGateway();
      assertThat(gw.gateway.store().undeliveredCount()).isZero();
    }
  }

  @Test
  void whenIndicativeFailsStoppingDoesNotWaitOnRetriesAndKeepsEverything(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_SHUTDOWN_GRACE_MS", "20000",
        "GATEWAY_DELIVERY_RETRY_BASE_MS", "5000", "GATEWAY_DELIVERY_RETRY_CAP_MS", "5000"))) {
      gw.simulator.failAlways(503);
      int sent = send(gw, 10);
      Thread.sleep(300); // first attempts fail; retries now wait seconds
      long started = System.nanoTime();
      gw.stopGateway();
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(tookMs).isLessThan(5_000);
      gw.startGateway();
      assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(sent);
    }
  }
}
