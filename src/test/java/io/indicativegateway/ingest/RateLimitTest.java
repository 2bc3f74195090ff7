package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.OTHER_WRITE_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Per-source rate limits: a flooding source gets 429s with RateLimit headers; the other one does not notice. */
@ExtendWith(VertxExtension.class)
class RateLimitTest {

  @Test
  void oneSourceFloodingDoesNotTouchTheOther(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_RATE_LIMIT_PER_SECOND", "500",
        "GATEWAY_RATE_LIMIT_BURST", "1000"))) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 100; i++) {
        batch.add(new JsonObject().put("type", "track").put("userId", "flood").put("event", "Flood"));
      }
      JsonObject flood = new JsonObject().put("batch", batch);
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger floodAccepted = new AtomicInteger();
      AtomicInteger floodLimited = new AtomicInteger();
      AtomicReference<HttpResponse<Buffer>> limitedAnswer = new AtomicReference<>();
      List<Thread> flooders = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread flooder = new Thread(() -> {
          while (flooding.get()) {
            try {
              HttpResponse<Buffer> response = gw.send("/v1/batch", WRITE_KEY, flood.copy());
              if (response.statusCode() == 200) {
                floodAccepted.incrementAndGet();
              } else if (response.statusCode() == 429) {
                floodLimited.incrementAndGet();
                limitedAnswer.set(response);
              }
            } catch (Exception ignored) {
              // keep flooding
            }
          }
        });
        flooder.start();
        flooders.add(flooder);
      }
      List<Long> quietLatencies = Collections.synchronizedList(new ArrayList<>());
      int quietAccepted = 0;
      for (int i = 0; i < 100; i++) {
        long started = System.nanoTime();
        HttpResponse<Buffer> response = gw.send("/v1/track", OTHER_WRITE_KEY, new JsonObject()
            .put("userId", "quiet").put("event", "Quiet").put("messageId", "quiet-" + i));
        quietLatencies.add((System.nanoTime() - started) / 1_000_000);
        if (response.statusCode() == 200) {
          quietAccepted++;
        }
        Thread.sleep(20);
      }
      flooding.set(false);
      for (Thread flooder : flooders) {
        flooder.join(10_000);
      }

      assertThat(quietAccepted).as("the quiet source is never limited").isEqualTo(100);
      List<Long> sorted = quietLatencies.stream().sorted().toList();
      assertThat(sorted.get(sorted.size() / 2)).as("median ms for the quiet source").isLessThan(50);
      assertThat(floodLimited.get()).as("the flood is limited").isGreaterThan(10);
      // ~3 s at 500 messages/s plus the 1,000 burst: at most about 2,500 of the flood's messages get in
      assertThat(floodAccepted.get() * 100).isLessThan(4000);
      HttpResponse<Buffer> limited = limitedAnswer.get();
      assertThat(limited.getHeader("Retry-After")).isNotNull();
      assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isBetween(1, 2);
      assertThat(limited.getHeader("RateLimit-Policy")).isEqualTo("1000;w=2");
      assertThat(limited.getHeader("RateLimit")).startsWith("limit=1000, remaining=");
      assertThat(limited.bodyAsJsonObject().getString("error")).contains("500 messages per second");
    }
  }
}
