package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.OTHER_PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.OTHER_WRITE_KEY;
import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-source rate limits: a flooding source gets 429s with RateLimit headers and nothing of a refused request is
 * stored; the other source does not notice (all its events delivered, its latency close to its own baseline).
 */
@ExtendWith(VertxExtension.class)
class RateLimitTest {

  @Test
  void oneSourceFloodingDoesNotTouchTheOther(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_RATE_LIMIT_PER_SECOND", "500",
        "GATEWAY_RATE_LIMIT_BURST", "1000"))) {
      long baseline = medianMs(quietRequests(gw, "Quiet before", 40));

      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger floodRequests = new AtomicInteger();
      Set<Integer> floodAccepted = ConcurrentHashMap.newKeySet();
      AtomicInteger floodLimited = new AtomicInteger();
      AtomicInteger floodOther = new AtomicInteger();
      AtomicReference<HttpResponse<Buffer>> limitedAnswer = new AtomicReference<>();
      List<Thread> flooders = new ArrayList<>();
      long floodStarted = System.nanoTime();
      for (int t = 0; t < 3; t++) {
        Thread flooder = new Thread(() -> {
          while (flooding.get()) {
            try {
              int request = floodRequests.incrementAndGet();
              HttpResponse<Buffer> response = gw.send("/v1/batch", WRITE_KEY, flood(request));
              if (response.statusCode() == 200) {
                floodAccepted.add(request);
              } else if (response.statusCode() == 429) {
                floodLimited.incrementAndGet();
                limitedAnswer.set(response);
              } else {
                floodOther.incrementAndGet();
              }
            } catch (Exception e) {
              floodOther.incrementAndGet(); // unknown outcome: would make the delivered count ambiguous
            }
          }
        });
        flooder.start();
        flooders.add(flooder);
      }
      List<Long> quietLatencies = quietRequests(gw, "Quiet", 100);
      flooding.set(false);
      for (Thread flooder : flooders) {
        flooder.join(10_000);
      }
      double floodSeconds = (System.nanoTime() - floodStarted) / 1e9;

      assertThat(quietLatencies).as("the quiet source is never limited").hasSize(100);
      long duringFlood = medianMs(quietLatencies);
      // relative to the same machine a moment earlier, not absolute; the slack absorbs scheduling noise on a
      // shared host, where the flood's own 429s still cost CPU
      assertThat(duringFlood).as("median ms for the quiet source during the flood, %d ms before it", baseline)
          .isLessThanOrEqualTo(4 * baseline + 20);
      assertThat(floodLimited.get()).as("the flood is limited").isGreaterThan(10);
      assertThat(floodOther.get()).as("flood requests with another outcome").isZero();
      // the bucket starts full: the 1,000 burst plus 500 a second for as long as the flood lasted, at most
      assertThat(floodAccepted.size() * 100.0).as("flood messages accepted in %.1f s", floodSeconds)
          .isLessThanOrEqualTo(1000 + 500 * floodSeconds);
      HttpResponse<Buffer> limited = limitedAnswer.get();
      assertThat(limited.getHeader("Retry-After")).isNotNull();
      assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isBetween(1, 2);
      assertThat(limited.getHeader("RateLimit-Policy")).isEqualTo("1000;w=2");
      assertThat(limited.getHeader("RateLimit")).startsWith("limit=1000, remaining=");
      assertThat(limited.bodyAsJsonObject().getString("error")).contains("500 messages per second");

      // everything stored is delivered; then what arrived is exactly what was accepted: a 429 stored nothing.
      // Compared as sets: delivery is at least once, and a retry on a loaded machine may send something twice.
      eventually(Duration.ofSeconds(30), "every stored message delivered",
          () -> gw.gateway.store().undeliveredCount() == 0);
      List<JsonObject> events = gw.simulator.events();
      assertThat(idsOf(events, "Quiet before", OTHER_PROJECT_KEY)).hasSize(40);
      assertThat(idsOf(events, "Quiet", OTHER_PROJECT_KEY)).hasSize(100);
      Set<String> floodDelivered = idsOf(events, "Flood", PROJECT_KEY);
      assertThat(floodDelivered).hasSize(floodAccepted.size() * 100);
      assertThat(floodDelivered.stream().map(id -> Integer.parseInt(id.substring(0, id.indexOf('/')))))
          .as("the flood requests whose messages arrived").containsOnlyElementsOf(floodAccepted);
      assertThat(events).extracting(e -> e.getString("eventName"))
          .containsOnly("Quiet before", "Quiet", "Flood");
    }
  }

  /** A batch of 100 messages, each marked with the request's number and its place in it. */
  private static JsonObject flood(int request) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 100; i++) {
      batch.add(new JsonObject().put("type", "track").put("userId", "flood").put("event", "Flood")
          .put("properties", new JsonObject().put("id", request + "/" + i)));
    }
    return new JsonObject().put("batch", batch);
  }

  /** The distinct ids of the events with this name sent to this project. */
  private static Set<String> idsOf(List<JsonObject> events, String name, String project) {
    return events.stream()
        .filter(e -> name.equals(e.getString("eventName")) && project.equals(e.getString("apiKey")))
        .map(e -> e.getJsonObject("properties").getString("id")).collect(Collectors.toSet());
  }

  /** Sends {@code count} single calls from the quiet source, 20 ms apart; the latencies (ms) of those accepted. */
  private static List<Long> quietRequests(GatewayHarness gw, String event, int count) throws Exception {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long started = System.nanoTime();
      HttpResponse<Buffer> response = gw.send("/v1/track", OTHER_WRITE_KEY, new JsonObject()
          .put("userId", "quiet").put("event", event).put("messageId", event + "-" + i)
          .put("properties", new JsonObject().put("id", Integer.toString(i))));
      if (response.statusCode() == 200) {
        latencies.add((System.nanoTime() - started) / 1_000_000);
      }
      Thread.sleep(20);
    }
    return latencies;
  }

  private static long medianMs(List<Long> latencies) {
    List<Long> sorted = latencies.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
