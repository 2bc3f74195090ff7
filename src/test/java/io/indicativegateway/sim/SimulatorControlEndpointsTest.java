package io.indicativegateway.sim;

import static io.indicativegateway.sim.SimulatorHttp.batch;
import static io.indicativegateway.sim.SimulatorHttp.event;
import static io.indicativegateway.sim.SimulatorValidationTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code /_simulator/} HTTP control endpoints. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorControlEndpointsTest {

  private IndicativeSimulator simulator;
  private SimulatorHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    simulator = IndicativeSimulator.start(vertx, new SimulatorOptions()).await();
    http = new SimulatorHttp(vertx, simulator);
  }

  @AfterEach
  void stop() {
    http.close();
    simulator.close().await();
  }

  private HttpResponse<Buffer> send(String uniqueId) {
    return http.post("/event/batch", batch("k", event("Played", uniqueId, 1L, new JsonObject())));
  }

  private void sendBatchesOfFour(int batches) {
    for (int b = 0; b < batches; b++) {
      int first = b * 4;
      JsonObject[] events = IntStream.range(first, first + 4)
          .mapToObj(i -> event("E", "e" + i, 1L, new JsonObject())).toArray(JsonObject[]::new);
      assertThat(http.post("/event/batch", batch("key-" + b, events)).statusCode()).isEqualTo(200);
    }
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("eventUniqueId")).toList();
  }

  @Test
  void statsCountEverythingAnswered() {
    sendBatchesOfFour(1);
    http.post("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u"));
    http.post("/alias", new JsonObject().put("apiKey", "k").put("previousId", "a").put("newId", "u"));
    http.post("/alias", new JsonObject().put("apiKey", "k"));
    simulator.throttle(1, 1);
    send("t");

    HttpResponse<Buffer> response = http.control("GET", "/stats", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject stats = response.bodyAsJsonObject();
    assertThat(stats.getLong("requests")).isEqualTo(5);
    assertThat(stats.getLong("acceptedRequests")).isEqualTo(3);
    assertThat(stats.getLong("acceptedEvents")).isEqualTo(4);
    assertThat(stats.getLong("acceptedIdentifies")).isEqualTo(1);
    assertThat(stats.getLong("acceptedAliases")).isEqualTo(1);
    assertThat(stats.getLong("rejectedRequests")).isEqualTo(2);
    assertThat(stats.getJsonObject("rejectedByStatus")).isEqualTo(new JsonObject().put("400", 1).put("429", 1));
    assertThat(stats.getLong("recordedItems")).isEqualTo(6);
    assertThat(stats.getLong("recordedRequests")).isEqualTo(5);
    assertThat(stats.getLong("maxRecorded")).isEqualTo(1_000_000);
    assertThat(stats.getBoolean("recordingTruncated")).isFalse();
    assertThat(stats).isEqualTo(simulator.stats().toJson());
  }

  @Test
  void receivedPagesThroughRecordedItemsAcrossRequests() {
    sendBatchesOfFour(3);

    assertThat(ids(http.received(""))).containsExactly(
        "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11");
    assertThat(ids(http.received("?kind=events&from=2&limit=5"))).containsExactly("e2", "e3", "e4", "e5", "e6");
    assertThat(ids(http.received("?kind=events&from=4&limit=4"))).containsExactly("e4", "e5", "e6", "e7");
    assertThat(ids(http.received("?from=10&limit=5"))).containsExactly("e10", "e11");
    assertThat(http.received("?from=12")).isEmpty();
    assertThat(http.received("?from=3&limit=0")).isEmpty();

    JsonObject fifth = http.received("?from=5&limit=1").getJsonObject(0);
    assertThat(fifth).isEqualTo(event("E", "e5", 1L, new JsonObject()).put("apiKey", "key-1"));
  }

  @Test
  void receivedServesEveryKind() {
    JsonObject identify = new JsonObject().put("apiKey", "k").put("uniqueId", "u")
        .put("properties", new JsonObject().put("plan", "pro"));
    JsonObject alias = new JsonObject().put("apiKey", "k").put("previousId", "a").put("newId", "u");
    http.post("/identify", identify);
    http.post("/alias", alias);
    http.post("/alias", new JsonObject().put("apiKey", "k"));

    assertThat(http.received("?kind=identifies")).containsExactly(identify);
    assertThat(http.received("?kind=aliases")).containsExactly(alias);
    JsonArray requests = http.received("?kind=requests");
    assertThat(requests).hasSize(3);
    JsonObject rejected = requests.getJsonObject(2);
    assertThat(rejected.getString("path")).isEqualTo("/service/alias");
    assertThat(rejected.getInteger("status")).isEqualTo(400);
    assertThat(rejected.getString("apiKey")).isEqualTo("k");
    assertThat(rejected.getString("client")).isEqualTo("simulator-tests/1.0");
    assertThat(rejected.getString("message")).contains("previousId");
    assertThat(rejected.getLong("receivedAt")).isPositive();
    assertThat(http.received("?kind=requests&from=1&limit=1").getJsonObject(0).getString("path"))
        .isEqualTo("/service/alias");
  }

  @Test
  void receivedRejectsBadParameters() {
    assertRejected(http.control("GET", "/received?kind=pages", null), 400, "kind");
    assertRejected(http.control("GET", "/received?from=x", null), 400, "from");
    assertRejected(http.control("GET", "/received?from=-1", null), 400, "from");
    assertRejected(http.control("GET", "/received?limit=100001", null), 400, "limit");
  }

  @Test
  void behaviorEndpointSetsFailuresThatWearOff() {
    HttpResponse<Buffer> set = http.control("POST", "/behavior",
        new JsonObject().put("fail", new JsonObject().put("status", 503).put("count", 2)));
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getJsonObject("fail"))
        .isEqualTo(new JsonObject().put("status", 503).put("count", 2));

    assertThat(send("a").statusCode()).isEqualTo(503);
    assertThat(http.control("GET", "/behavior", null).bodyAsJsonObject().getJsonObject("fail").getLong("count"))
        .isEqualTo(1);
    assertThat(send("b").statusCode()).isEqualTo(503);
    assertThat(send("c").statusCode()).isEqualTo(200);
    assertThat(http.control("GET", "/behavior", null).bodyAsJsonObject().getValue("fail")).isNull();
  }

  @Test
  void behaviorEndpointSetsAndClearsThrottlingDelayAndPoison() {
    JsonObject all = new JsonObject()
        .put("throttle", new JsonObject().put("retryAfterSeconds", 3))
        .put("delayMs", 150)
        .put("poisonEventNames", new JsonArray().add("Poison"));
    JsonObject current = http.control("POST", "/behavior", all).bodyAsJsonObject();
    assertThat(current).isEqualTo(new JsonObject()
        .putNull("fail")
        .put("throttle", new JsonObject().put("retryAfterSeconds", 3).put("count", -1))
        .put("delayMs", 150)
        .put("poisonEventNames", new JsonArray().add("Poison"))
        .putNull("misbehave"));

    long started = System.nanoTime();
    HttpResponse<Buffer> throttled = send("a");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(150);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isEqualTo("3");
    assertThat(send("b").statusCode()).isEqualTo(429);

    http.control("POST", "/behavior", new JsonObject().putNull("throttle"));
    assertRejected(http.post("/event/batch", batch("k", event("Poison", "p", 1L, new JsonObject()))), 400,
        "Poison");
    assertThat(send("c").statusCode()).isEqualTo(200);

    JsonObject cleared = http.control("POST", "/behavior", new JsonObject().put("clear", true)).bodyAsJsonObject();
    assertThat(cleared).isEqualTo(new JsonObject().putNull("fail").putNull("throttle").put("delayMs", 0)
        .put("poisonEventNames", new JsonArray()).putNull("misbehave"));

    JsonObject misbehaving = http.control("POST", "/behavior", new JsonObject().put("misbehave",
        new JsonObject().put("kind", "garbage").put("count", 1))).bodyAsJsonObject();
    assertThat(misbehaving.getJsonObject("misbehave")).isEqualTo(new JsonObject().put("kind", "garbage")
        .put("count", 1));
    HttpResponse<Buffer> garbage = send("d");
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(garbage.bodyAsString()).doesNotStartWith("{");
    assertThat(send("e").bodyAsJsonObject().getBoolean("success")).isTrue();
    assertThat(http.control("POST", "/behavior", new JsonObject().put("misbehave",
        new JsonObject().put("kind", "explode"))).statusCode()).isEqualTo(400);
    assertThat(http.post("/event/batch", batch("k", event("Poison", "p", 1L, new JsonObject()))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void invalidBehaviorIsRefusedNamingTheFieldAndChangesNothing() {
    http.control("POST", "/behavior", new JsonObject().put("delayMs", 5));
    JsonObject before = simulator.behaviors();

    assertRejected(http.control("POST", "/behavior", new JsonObject().put("delayMs", 100)
        .put("fail", new JsonObject().put("status", "503"))), 400, "fail.status");
    assertRejected(http.control("POST", "/behavior",
        new JsonObject().put("fail", new JsonObject().put("status", 503).put("count", 0))), 400, "fail.count");
    assertRejected(http.control("POST", "/behavior",
        new JsonObject().put("throttle", new JsonObject().put("count", 2))), 400, "throttle.retryAfterSeconds");
    assertRejected(http.control("POST", "/behavior", new JsonObject().put("delayMs", -1)), 400, "delayMs");
    assertRejected(http.control("POST", "/behavior", new JsonObject().put("delayMs", 1.5)), 400, "delayMs");
    assertRejected(http.control("POST", "/behavior",
        new JsonObject().put("poisonEventNames", new JsonArray().add(""))), 400, "poisonEventNames");
    assertRejected(http.control("POST", "/behavior", new JsonObject().put("failNext", 3)), 400, "failNext");
    assertRejected(http.control("POST", "/behavior", new JsonObject().put("clear", "yes")), 400, "clear");
    HttpResponse<Buffer> notJson = SimulatorHttp.await(http.client()
        .postAbs(simulator.controlUrl() + "/behavior").sendBuffer(Buffer.buffer("{oops")));
    assertRejected(notJson, 400, "JSON object");

    assertThat(simulator.behaviors()).isEqualTo(before);
    assertThat(send("ok").statusCode()).isEqualTo(200);
  }

  @Test
  void resetEndpointDropsEverything() {
    sendBatchesOfFour(2);
    simulator.failAlways(500);

    HttpResponse<Buffer> reset = http.control("POST", "/reset", null);
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(reset.bodyAsJsonObject()).isEqualTo(new JsonObject().put("success", true));
    assertThat(http.received("")).isEmpty();
    assertThat(http.control("GET", "/stats", null).bodyAsJsonObject().getLong("requests")).isZero();
    assertThat(send("after").statusCode()).isEqualTo(200);
  }

  @Test
  void controlRequestsAreNotCountedAndUnknownControlPathsAre404() {
    http.control("GET", "/stats", null);
    http.control("GET", "/behavior", null);
    assertThat(http.control("GET", "/nothing", null).statusCode()).isEqualTo(404);
    assertThat(http.control("GET", "/reset", null).statusCode()).isEqualTo(405);
    assertThat(simulator.stats().requests()).isZero();
  }
}
