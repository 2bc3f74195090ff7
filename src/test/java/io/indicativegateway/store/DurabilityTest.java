package io.indicativegateway.store;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Accepted means durable: what got a 200 while Indicative was down is delivered after a restart. */
@ExtendWith(VertxExtension.class)
class DurabilityTest {

  @Test
  void messagesAcceptedWhileIndicativeIsDownAreDeliveredOnceAfterARestart(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      gw.simulator.failAlways(503);
      for (int request = 0; request < 5; request++) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 20; i++) {
          batch.add(new JsonObject().put("type", "track").put("userId", "user-" + i).put("event", "Durable")
              .put("messageId", "durable-" + request + "-" + i));
        }
        assertThat(gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch)).statusCode())
            .isEqualTo(200);
      }
      assertThat(gw.send("/v1/identify", WRITE_KEY, new JsonObject().put("userId", "user-1")
          .put("traits", new JsonObject().put("plan", "pro"))).statusCode()).isEqualTo(200);
      assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(101);

      gw.restartGateway(); // closes the store, opens it again from disk
      assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(101);
      assertThat(gw.simulator.events()).isEmpty();

      gw.simulator.clearBehaviors();
      eventually(Duration.ofSeconds(30), "all 100 events delivered", () -> gw.simulator.events().size() >= 100);
      eventually(Duration.ofSeconds(30), "the identify delivered", () -> gw.simulator.identifies().size() == 1);
      eventually(Duration.ofSeconds(30), "the store drained", () -> gw.gateway.store().undeliveredCount() == 0);
      Map<String, Long> perUserAndBatch = gw.simulator.events().stream()
          .collect(Collectors.groupingBy(e -> e.getString("eventUniqueId"), Collectors.counting()));
      assertThat(gw.simulator.events()).hasSize(100);
      assertThat(perUserAndBatch).hasSize(20).allSatisfy((user, count) -> assertThat(count).isEqualTo(5));
    }
  }

  @Test
  void aRestartInTheMiddleOfDeliveryLosesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_DELIVERY_MAX_IN_FLIGHT", "2"))) {
      gw.simulator.delay(50); // slow Indicative: the restart lands while batches are in flight
      int total = 0;
      for (int request = 0; request < 10; request++) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 100; i++) {
          batch.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "E" + request + "-" + i));
          total++;
        }
        assertThat(gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch)).statusCode())
            .isEqualTo(200);
      }
      gw.restartGateway();
      gw.simulator.delay(0);
      int expected = total;
      eventually(Duration.ofSeconds(30), "the store drained", () -> gw.gateway.store().undeliveredCount() == 0);
      Map<String, Long> byName = gw.simulator.events().stream()
          .collect(Collectors.groupingBy(e -> e.getString("eventName"), Collectors.counting()));
      assertThat(byName).hasSize(expected); // every accepted event arrived (duplicates only from in-flight batches)
      assertThat(gw.simulator.events().size() - expected).isLessThanOrEqualTo(2 * 100 + 100);
    }
  }
}
