package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.store.DeadLetter;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class EventBusIngestTest {

  private static final String ADDRESS = "indicative.ingest";
  private GatewayHarness gw;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    this.vertx = vertx;
    gw = GatewayHarness.start(vertx, dir, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  private Message<Object> send(JsonObject body, String writeKey) throws Exception {
    DeliveryOptions options = new DeliveryOptions();
    if (writeKey != null) {
      options.addHeader("writeKey", writeKey);
    }
    return vertx.eventBus().request(ADDRESS, body, options).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aMessageIsAnsweredAfterItIsStoredAndThenArrivesAtIndicative() throws Exception {
    gw.simulator.failAlways(503); // hold delivery so the stored message stays visible
    Message<Object> reply = send(new JsonObject().put("type", "track").put("userId", "jvm-1")
        .put("event", "From the bus"), WRITE_KEY);
    assertThat(reply.body()).isEqualTo(new JsonObject().put("success", true));
    assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(1); // durable before the reply
    gw.simulator.clearBehaviors();
    eventually(Duration.ofSeconds(15), "the event at Indicative", () -> gw.simulator.events().stream()
        .anyMatch(e -> "From the bus".equals(e.getString("eventName"))
            && "jvm-1".equals(e.getString("eventUniqueId"))));
  }

  @Test
  void overTheSourcesRateABatchIsRefusedWith429AndNothingOfItIsStored(@TempDir Path other) throws Exception {
    gw.close();
    gw = GatewayHarness.start(vertx, other, Map.of("GATEWAY_RATE_LIMIT_PER_SECOND", "5",
        "GATEWAY_RATE_LIMIT_BURST", "5"));
    gw.simulator.failAlways(503); // hold delivery so what was stored stays countable
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 5; i++) {
      batch.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "Within"));
    }
    assertThat(((JsonObject) send(new JsonObject().put("batch", batch), WRITE_KEY).body()).getInteger("accepted"))
        .isEqualTo(5);
    assertThatThrownBy(() -> send(new JsonObject().put("batch", batch), WRITE_KEY))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(429);
          assertThat(e.getMessage()).contains("5 messages per second");
        });
    assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(5);
  }

  @Test
  void batchesWithTheKeyInTheBodyGetPerMessageResults() throws Exception {
    JsonObject body = new JsonObject().put("writeKey", WRITE_KEY).put("batch", new JsonArray()
        .add(new JsonObject().put("type", "page").put("anonymousId", "a").put("name", "Bus Page"))
        .add(new JsonObject().put("type", "track").put("anonymousId", "a")));
    JsonObject answer = (JsonObject) send(body, null).body();
    assertThat(answer.getInteger("accepted")).isEqualTo(1);
    assertThat(answer.getJsonArray("rejected").getJsonObject(0).getInteger("index")).isEqualTo(1);
    eventually(Duration.ofSeconds(15), "the page view", () -> gw.simulator.events().stream()
        .anyMatch(e -> "Page View Bus Page".equals(e.getString("eventName"))));
  }

  @Test
  void aPublishOrASendWithoutReplyIsRefusedAndCounted() throws Exception {
    // a publish reaches every gateway of a cluster: each would store and deliver it
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("type", "track").put("userId", "u")
        .put("event", "Published"), new DeliveryOptions().addHeader("writeKey", WRITE_KEY));
    vertx.eventBus().send(ADDRESS, new JsonObject().put("type", "track").put("userId", "u")
        .put("event", "Unanswered"), new DeliveryOptions().addHeader("writeKey", WRITE_KEY));
    eventually(Duration.ofSeconds(10), "both counted as refused", () -> rejected("no-reply-address") == 2.0);

    send(new JsonObject().put("type", "track").put("userId", "u").put("event", "Requested"), WRITE_KEY);
    eventually(Duration.ofSeconds(15), "the request's event at Indicative", () -> gw.simulator.events().stream()
        .anyMatch(e -> "Requested".equals(e.getString("eventName"))));
    assertThat(gw.simulator.events()).noneMatch(e -> "Published".equals(e.getString("eventName"))
        || "Unanswered".equals(e.getString("eventName")));
  }

  private double rejected(String reason) {
    var counter = gw.gateway.metrics().registry().find("gateway.messages.rejected").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void failuresCarryTheHttpStatusAsFailureCode() {
    assertThatThrownBy(() -> send(new JsonObject().put("type", "track").put("userId", "u").put("event", "e"), null))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(401);
          assertThat(e.getMessage()).contains("write key");
        });
    assertThatThrownBy(() -> send(new JsonObject().put("type", "track").put("userId", "u"), WRITE_KEY))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("event");
        });
    JsonObject big = new JsonObject().put("type", "track").put("userId", "u").put("event", "e")
        .put("properties", new JsonObject().put("p", "x".repeat(40_000)));
    assertThatThrownBy(() -> send(big, WRITE_KEY))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(413));
  }

  /** A track message nesting {@code depth} levels, the message itself being level 1. */
  private static JsonObject nested(String event, int depth) {
    JsonObject inner = new JsonObject().put("leaf", 1);
    for (int level = 2; level < depth; level++) {
      inner = new JsonObject().put("a", inner);
    }
    return new JsonObject().put("type", "track").put("userId", "deep").put("event", event)
        .put("properties", inner);
  }

  @Test
  void nestingBeyondTheDepthLimitIsRefusedAsOverHttp() throws Exception {
    assertThat(JsonDepthOf.levels(nested("x", 100))).isEqualTo(100);
    assertThatThrownBy(() -> send(nested("Too deep on the bus", 101), WRITE_KEY))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("nests deeper than 100 levels");
        });
    JsonObject deepBatch = new JsonObject().put("batch", new JsonArray().add(nested("Too deep in a batch", 99)));
    assertThatThrownBy(() -> send(deepBatch, WRITE_KEY))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    assertThat(gw.send("/v1/batch", WRITE_KEY, deepBatch).statusCode()).as("the same batch over HTTP")
        .isEqualTo(400);
    assertThat(send(nested("At the depth limit", 100), WRITE_KEY).body())
        .isEqualTo(new JsonObject().put("success", true));
    eventually(Duration.ofSeconds(15), "the message at the limit delivered", () -> gw.simulator.events().stream()
        .anyMatch(e -> "At the depth limit".equals(e.getString("eventName"))));
  }

  @Test
  void aMessageAsDeepAsConfiguredIsTranslatedAndDelivered(@TempDir Path deeperDir) throws Exception {
    gw.close();
    gw = GatewayHarness.start(vertx, deeperDir, Map.of("GATEWAY_MAX_JSON_DEPTH", "300"));
    assertThat(send(nested("Deep on the bus", 300), WRITE_KEY).body())
        .isEqualTo(new JsonObject().put("success", true));
    assertThat(gw.send("/v1/track", WRITE_KEY, nested("Deep over HTTP", 300)).statusCode()).isEqualTo(200);
    eventually(Duration.ofSeconds(15), "both deep messages delivered", () -> gw.simulator.events().stream()
        .map(e -> e.getString("eventName")).filter(n -> n.startsWith("Deep ")).count() == 2);
    assertThat(gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10)).isEmpty();
    assertThatThrownBy(() -> send(nested("Deeper than configured", 301), WRITE_KEY))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  /** Counts levels independently of the code under test. */
  private static final class JsonDepthOf {
    static int levels(Object value) {
      int deepest = 0;
      if (value instanceof JsonObject object) {
        for (Map.Entry<String, Object> entry : object) {
          deepest = Math.max(deepest, levels(entry.getValue()));
        }
        return deepest + 1;
      }
      return 0;
    }
  }
}
