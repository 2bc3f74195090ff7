package io.indicativegateway.ops;

import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.indicativegateway.Bootstrap;
import io.indicativegateway.GatewayHarness;
import io.indicativegateway.config.ClusterSettings;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics: the gateway's series and Vert.x/JVM ones, moving with traffic, with no high-cardinality labels. */
class MetricsTest {

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void theNamedSeriesAreExposedAndMoveWhenTrafficFlows(@TempDir Path dir) throws Exception {
    Bootstrap.Runtime runtime = Bootstrap.start(new ClusterSettings(false, "127.0.0.1", 5701, 0, List.of(), "",
        false, "0.0.0.0", 0)).await(20, TimeUnit.SECONDS);
    try (GatewayHarness gw = GatewayHarness.start(runtime.vertx(), dir, Map.of(), new SimulatorOptions(),
        runtime.registry())) {
      String before = scrape(gw);
      assertThat(value(before, "gateway_messages_accepted_total")).isEqualTo(0.0);

      // refused before ingestion proper: each counted once, under a reason of the fixed set
      assertThat(gw.send("/v1/track", "wk-unknown", new JsonObject().put("userId", "u").put("event", "e"))
          .statusCode()).isEqualTo(401);
      assertThatThrownBy(() -> runtime.vertx().eventBus().request("indicative.ingest",
              new JsonObject().put("userId", "u").put("event", "e")).await(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(401));
      assertThat(gw.post("/v1/track", WRITE_KEY).putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("this is not JSON")).await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
      assertThat(gw.post("/v1/track", WRITE_KEY).putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("x".repeat(32 * 1024 + 100))).await(10, TimeUnit.SECONDS).statusCode())
          .isEqualTo(413);
      // far over the limit: refused while the body is still arriving, counted all the same
      assertThat(gw.post("/v1/track", WRITE_KEY).putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("x".repeat(100 * 1024))).await(10, TimeUnit.SECONDS).statusCode())
          .isEqualTo(413);
      String refused = scrape(gw);
      assertThat(value(refused, "gateway_messages_rejected_total{reason=\"auth\"}")).isEqualTo(2.0);
      assertThat(value(refused, "gateway_messages_rejected_total{reason=\"malformed\"}")).isEqualTo(1.0);
      assertThat(value(refused, "gateway_messages_rejected_total{reason=\"too-large\"}")).isEqualTo(2.0);
      assertThat(refused).doesNotContain("wk-unknown");

      gw.simulator.failAlways(503); // hold delivery: the backlog and the breaker show
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 10; i++) {
        batch.add(new JsonObject().put("type", "track").put("userId", "metrics-user-" + i).put("event", "Metric")
            .put("messageId", "metrics-message-" + i));
      }
      batch.add(new JsonObject().put("type", "track").put("userId", "x")); // invalid: no event
      gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch));
      eventually(Duration.ofSeconds(20), "the breaker open and the backlog visible", () -> {
        String m = scrape(gw);
        return value(m, "gateway_delivery_retries_total{cause=\"5xx\"}") >= 5
            && m.contains("gateway_delivery_circuit_state{project=") && m.matches("(?s).*circuit_state\\{[^}]*} 2\\.0.*");
      });
      Thread.sleep(5500); // the oldest-age gauge refreshes every 5 s
      String held = scrape(gw);
      assertThat(value(held, "gateway_messages_received_total{transport=\"http\"}")).isEqualTo(11.0);
      assertThat(value(held, "gateway_messages_accepted_total")).isEqualTo(10.0);
      assertThat(value(held, "gateway_messages_rejected_total{reason=\"invalid\"}")).isEqualTo(1.0);
      assertThat(value(held, "gateway_messages_deadlettered_total{reason=\"validation\"}")).isEqualTo(1.0);
      assertThat(value(held, "gateway_store_undelivered_messages")).isEqualTo(10.0);
      assertThat(value(held, "gateway_store_bytes")).isGreaterThan(0);
      assertThat(value(held, "gateway_store_oldest_undelivered_age_seconds")).isGreaterThan(0);
      assertThat(value(held, "gateway_store_writable")).isEqualTo(1.0);

      gw.simulator.clearBehaviors();
      eventually(Duration.ofSeconds(20), "delivery", () -> value(scrape(gw),
          "gateway_delivery_delivered_total{kind=\"event\"}") == 10.0);
      String after = scrape(gw);
      assertThat(value(after, "gateway_store_undelivered_messages")).isEqualTo(0.0);
      assertThat(value(after, "gateway_delivery_latency_seconds_count")).isGreaterThan(0);
      assertThat(value(after, "gateway_delivery_batch_size_count")).isGreaterThan(0);
      assertThat(after).contains("vertx_http_server_requests_total{", "vertx_http_client_requests_total{",
          "jvm_memory_used_bytes{", "jvm_gc_");
      // no high-cardinality labels: no ids, no keys, no paths
      assertThat(after).doesNotContain("metrics-user", "metrics-message", WRITE_KEY, PROJECT_KEY, "/v1/batch");
    } finally {
      runtime.vertx().close().await(20, TimeUnit.SECONDS);
    }
  }

  private static String scrape(GatewayHarness gw) throws Exception {
    return gw.client.get(gw.port, "127.0.0.1", "/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
  }
}
