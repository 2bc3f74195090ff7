package io.indicativegateway.acceptance;

import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment's own Java SDK (analytics-java 3.5.1), unmodified, pointed at the gateway: it posts batches to
 * {@code /v1/import/} with the write key in the body. What Indicative receives is checked field by field.
 */
@ExtendWith(VertxExtension.class)
class SegmentJavaSdkTest {

  private static final String LONG_NOTE = "n".repeat(300);
  private static final String EMOJI_AT_THE_CUT = "e".repeat(254) + "😀" + "tail";

  @Test
  void everyCallTypeArrivesAtIndicativeAsTheContractSays(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      CountDownLatch delivered = new CountDownLatch(6);
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      Analytics analytics = Analytics.builder(WRITE_KEY)
          .endpoint("http://127.0.0.1:" + gw.port)
          .flushQueueSize(6)
          .flushInterval(1, TimeUnit.SECONDS)
          .callback(new Callback() {
            @Override
            public void success(Message message) {
              delivered.countDown();
            }

            @Override
            public void failure(Message message, Throwable throwable) {
              failures.add(throwable);
            }
          })
          .build();

      Date anHourAgo = new Date(System.currentTimeMillis() - 3_600_000);
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("order_id", "o-1");
      properties.put("revenue", 30.5);
      properties.put("products", List.of(Map.of("sku", "A"), Map.of("sku", "B")));
      properties.put("shipping", Map.of("method", "ground", "days", 3));
      properties.put("note", LONG_NOTE);
      properties.put("greeting", EMOJI_AT_THE_CUT);
      properties.put("coupon", null);
      analytics.enqueue(TrackMessage.builder("Order Completed").userId("sdk-user").timestamp(anHourAgo)
          .properties(properties));
      analytics.enqueue(IdentifyMessage.builder().userId("sdk-user").anonymousId("sdk-anon")
          .traits(Map.of("plan", "pro", "address", Map.of("city", "Example City"), "logins", 5)));
      analytics.enqueue(PageMessage.builder("Pricing").userId("sdk-user")
          .properties(Map.of("path", "/pricing")));
      analytics.enqueue(ScreenMessage.builder("Settings").anonymousId("sdk-anon"));
      analytics.enqueue(AliasMessage.builder("sdk-previous").userId("sdk-user"));
      analytics.enqueue(GroupMessage.builder("group-42").userId("sdk-user")
          .traits(Map.of("name", "Initech", "employees", 120)));
      analytics.flush();
      assertThat(delivered.await(20, TimeUnit.SECONDS)).as("the SDK's uploads succeeded").isTrue();
      assertThat(failures).isEmpty();
      analytics.shutdown();

      eventually(Duration.ofSeconds(20), "3 events, 2 identifies, 2 aliases at Indicative", () ->
          gw.simulator.events().size() == 3 && gw.simulator.identifies().size() == 2
              && gw.simulator.aliases().size() == 2);

      JsonObject track = event(gw, "Order Completed");
      assertThat(track.getString("apiKey")).isEqualTo(PROJECT_KEY);
      assertThat(track.getString("eventUniqueId")).isEqualTo("sdk-user");
      // the SDK's timestamp, corrected for clock skew with sentAt: close to an hour ago
      assertThat(track.getLong("eventTime")).isCloseTo(anHourAgo.getTime(), org.assertj.core.data.Offset.offset(5000L));
      assertThat(track.getJsonObject("properties")).isEqualTo(new JsonObject()
          .put("order_id", "o-1")
          .put("revenue", 30.5)
          .put("products.sku", "A,B")
          .put("shipping.method", "ground")
          .put("shipping.days", 3)
          .put("note", "n".repeat(255))
          .put("greeting", "e".repeat(254)));

      JsonObject page = event(gw, "Page View Pricing");
      assertThat(page.getString("eventUniqueId")).isEqualTo("sdk-user");
      assertThat(page.getJsonObject("properties").getString("path")).isEqualTo("/pricing");
      JsonObject screen = event(gw, "Screen View Settings");
      assertThat(screen.getString("eventUniqueId")).isEqualTo("sdk-anon");

      JsonObject identify = gw.simulator.identifies().stream()
          .filter(i -> i.getJsonObject("properties").containsKey("plan")).findFirst().orElseThrow();
      assertThat(identify).isEqualTo(new JsonObject().put("apiKey", PROJECT_KEY).put("uniqueId", "sdk-user")
          .put("properties", new JsonObject().put("plan", "pro").put("address.city", "Example City")
              .put("logins", 5)));
      JsonObject group = gw.simulator.identifies().stream()
          .filter(i -> i.getJsonObject("properties").containsKey("groupId")).findFirst().orElseThrow();
      assertThat(group).isEqualTo(new JsonObject().put("apiKey", PROJECT_KEY).put("uniqueId", "sdk-user")
          .put("properties", new JsonObject().put("groupId", "group-42").put("group.name", "Initech")
              .put("group.employees", 120)));

      assertThat(gw.simulator.aliases()).containsExactlyInAnyOrder(
          new JsonObject().put("apiKey", PROJECT_KEY).put("previousId", "sdk-anon").put("newId", "sdk-user"),
          new JsonObject().put("apiKey", PROJECT_KEY).put("previousId", "sdk-previous").put("newId", "sdk-user"));
      assertThat(gw.simulator.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }
  }

  private static JsonObject event(GatewayHarness gw, String name) {
    return gw.simulator.events().stream().filter(e -> name.equals(e.getString("eventName"))).findFirst()
        .orElseThrow(() -> new AssertionError("no event named " + name + " in " + gw.simulator.events()));
  }
}
