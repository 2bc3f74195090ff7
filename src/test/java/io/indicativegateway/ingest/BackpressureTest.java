package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A full store answers 503 with Retry-After, stores nothing of that request, and recovers by itself. */
@ExtendWith(VertxExtension.class)
class BackpressureTest {

  @Test
  void aFullStoreAnswers503WithRetryAfterAndNoAcceptedMessageIsLost(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of(
        "GATEWAY_STORE_MAX_BYTES", Integer.toString(1 << 20), "GATEWAY_RETRY_AFTER_SECONDS", "7"))) {
      gw.simulator.failAlways(503); // Indicative down: nothing drains
      Set<String> acceptedIds = new HashSet<>();
      HttpResponse<Buffer> refused = null;
      for (int request = 0; request < 100 && refused == null; request++) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 50; i++) {
          batch.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "Fill")
              .put("messageId", "fill-" + request + "-" + i)
              .put("properties", new JsonObject().put("padding", "p".repeat(400))));
        }
        HttpResponse<Buffer> response = gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch));
        if (response.statusCode() == 200) {
          batch.forEach(m -> acceptedIds.add(((JsonObject) m).getString("messageId")));
        } else {
          refused = response;
        }
      }
      assertThat(refused).as("a 503 once the store is full").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.getHeader("Retry-After")).isEqualTo("7");
      assertThat(refused.bodyAsJsonObject().getString("error")).contains("full");
      assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(acceptedIds.size()); // nothing of the 503
      assertThat(gw.gateway.store().sizeBytes()).isLessThanOrEqualTo(1 << 20);

      gw.simulator.clearBehaviors(); // Indicative back: delivery frees space, 200s resume by themselves
      eventually(Duration.ofSeconds(30), "every accepted message delivered", () ->
          gw.simulator.events().stream().map(e -> e.getString("eventName")).count() >= acceptedIds.size()
              && gw.gateway.store().undeliveredCount() == 0);
      assertThat(gw.simulator.events()).hasSize(acceptedIds.size());
      HttpResponse<Buffer> again = gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u")
          .put("event", "After recovery"));
      assertThat(again.statusCode()).isEqualTo(200);
    }
  }
}
