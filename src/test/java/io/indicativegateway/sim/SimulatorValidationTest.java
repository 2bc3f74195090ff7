package io.indicativegateway.sim;

import static io.indicativegateway.sim.SimulatorHttp.batch;
import static io.indicativegateway.sim.SimulatorHttp.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule answers 400 with a message naming the field, and records nothing as accepted. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorValidationTest {

  private static final String S255 = "x".repeat(255);
  private static Vertx vertx;
  private static IndicativeSimulator simulator;
  private static SimulatorHttp http;

  @BeforeAll
  static void start(Vertx vertx) {
    SimulatorValidationTest.vertx = vertx;
    simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setInstances(1)).await();
    http = new SimulatorHttp(vertx, simulator);
  }

  @AfterAll
  static void stop() {
    http.close();
    simulator.close().await();
  }

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  private static JsonObject ok() {
    return event("Signed Up", "user-1", 1_700_000_000_000L, new JsonObject().put("plan", "pro"));
  }

  private static JsonObject okWith(String field, Object value) {
    return ok().put(field, value);
  }

  private static JsonObject okWithProperty(String name, Object value) {
    JsonObject event = ok();
    event.getJsonObject("properties").put(name, value);
    return event;
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        // batch envelope
        Arguments.of("/event/batch", new JsonObject().put("events", new JsonArray().add(ok())), "apiKey"),
        Arguments.of("/event/batch", batch("", ok()), "apiKey"),
        Arguments.of("/event/batch", batch("k", ok()).put("apiKey", 42), "apiKey"),
        Arguments.of("/event/batch", new JsonObject().put("apiKey", "k"), "events"),
        Arguments.of("/event/batch", new JsonObject().put("apiKey", "k").put("events", new JsonArray()), "events"),
        Arguments.of("/event/batch", new JsonObject().put("apiKey", "k").put("events", ok()), "events"),
        Arguments.of("/event/batch", new JsonObject().put("apiKey", "k").put("events",
            new JsonArray(IntStream.range(0, 101).mapToObj(i -> ok()).toList())), "events has 101"),
        Arguments.of("/event/batch", batch("k", ok()).put("events", new JsonArray().add(ok()).add("x")),
            "events[1] must be an object"),
        // events
        Arguments.of("/event/batch", batch("k", ok(), okWith("eventName", null)), "events[1].eventName"),
        Arguments.of("/event/batch", batch("k", ok().copy().put("eventName", "")), "events[0].eventName"),
        Arguments.of("/event/batch", batch("k", okWith("eventName", 7)), "events[0].eventName"),
        Arguments.of("/event/batch", batch("k", withoutField(ok(), "eventName")), "events[0].eventName"),
        Arguments.of("/event/batch", batch("k", withoutField(ok(), "eventUniqueId")), "events[0].eventUniqueId"),
        Arguments.of("/event/batch", batch("k", okWith("eventUniqueId", "")), "events[0].eventUniqueId"),
        Arguments.of("/event/batch", batch("k", okWith("eventUniqueId", 123)), "events[0].eventUniqueId"),
        Arguments.of("/event/batch", batch("k", ok(), ok(), okWith("eventTime", 1.5)), "events[2].eventTime"),
        Arguments.of("/event/batch", batch("k", okWith("eventTime", "2024-01-01T00:00:00Z")),
            "events[0].eventTime"),
        Arguments.of("/event/batch", batch("k", okWith("eventTime", null)), "events[0].eventTime"),
        Arguments.of("/event/batch", batch("k", okWith("properties", new JsonArray().add("a"))),
            "events[0].properties"),
        Arguments.of("/event/batch", batch("k", okWith("properties", "a=b")), "events[0].properties"),
        Arguments.of("/event/batch", batch("k", okWithProperty("nested", new JsonObject().put("a", 1))),
            "events[0].properties.nested"),
        Arguments.of("/event/batch", batch("k", okWithProperty("colors", new JsonArray().add("red"))),
            "events[0].properties.colors"),
        Arguments.of("/event/batch", batch("k", okWithProperty("gone", null)), "events[0].properties.gone"),
        Arguments.of("/event/batch", batch("k", okWithProperty("long", S255 + "y")), "events[0].properties.long"),
        // single event
        Arguments.of("/event", withoutField(ok(), "eventName").put("apiKey", "k"), "eventName"),
        Arguments.of("/event", ok(), "apiKey"),
        Arguments.of("/event", okWith("eventTime", 17.25).put("apiKey", "k"), "eventTime"),
        Arguments.of("/event", okWithProperty("obj", new JsonObject()).put("apiKey", "k"), "properties.obj"),
        // identify
        Arguments.of("/identify", new JsonObject().put("apiKey", "k"), "uniqueId"),
        Arguments.of("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", ""), "uniqueId"),
        Arguments.of("/identify", new JsonObject().put("uniqueId", "u"), "apiKey"),
        Arguments.of("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u")
            .put("properties", new JsonObject().put("list", new JsonArray())), "properties.list"),
        Arguments.of("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u")
            .put("properties", new JsonObject().put("bio", "b".repeat(256))), "properties.bio"),
        Arguments.of("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u")
            .put("properties", 5), "properties"),
        // alias
        Arguments.of("/alias", new JsonObject().put("apiKey", "k").put("newId", "u"), "previousId"),
        Arguments.of("/alias", new JsonObject().put("apiKey", "k").put("previousId", "a").put("newId", ""),
            "newId"),
        Arguments.of("/alias", new JsonObject().put("apiKey", "k").put("previousId", 1).put("newId", "u"),
            "previousId"),
        Arguments.of("/alias", new JsonObject().put("previousId", "a").put("newId", "u"), "apiKey"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> 400 naming {2}")
  @MethodSource("invalidBodies")
  void invalidBodyIsRejectedNamingTheField(String path, JsonObject body, String field) {
    HttpResponse<Buffer> response = http.post(path, body);

    assertRejected(response, 400, field);
    assertThat(simulator.stats().acceptedRequests()).isZero();
    assertThat(simulator.stats().rejected(400)).isEqualTo(1);
    RecordedRequest recorded = simulator.requests().get(0);
    assertThat(recorded.status()).isEqualTo(400);
    assertThat(recorded.message()).contains(field);
    assertThat(simulator.events()).isEmpty();
    assertThat(simulator.identifies()).isEmpty();
    assertThat(simulator.aliases()).isEmpty();
  }

  static Stream<Arguments> malformedRequests() {
    Buffer valid = batch("k", ok()).toBuffer();
    return Stream.of(
        Arguments.of("text/plain", valid, "Content-Type"),
        Arguments.of(null, valid, "Content-Type"),
        Arguments.of("application/jsonp", valid, "Content-Type"),
        Arguments.of("application/x-www-form-urlencoded", Buffer.buffer("apiKey=k"), "Content-Type"),
        Arguments.of("application/json", Buffer.buffer("{\"apiKey\": \"k\", \"events\": ["), "JSON"),
        Arguments.of("application/json", Buffer.buffer("not json"), "JSON"),
        Arguments.of("application/json", Buffer.buffer(""), "body"),
        Arguments.of("application/json", Buffer.buffer("[{\"apiKey\":\"k\"}]"), "body must be a JSON object"),
        Arguments.of("application/json", Buffer.buffer("\"apiKey\""), "body must be a JSON object"));
  }

  @ParameterizedTest(name = "[{index}] Content-Type {0} -> 400 naming {2}")
  @MethodSource("malformedRequests")
  void malformedRequestIsRejected(String contentType, Buffer body, String field) {
    assertRejected(http.postRaw("/event/batch", contentType, body), 400, field);
    assertThat(simulator.stats().acceptedRequests()).isZero();
    assertThat(simulator.events()).isEmpty();
  }

  @Test
  void boundaryValuesAreAccepted() {
    String emojis = "\uD83D\uDE00".repeat(127) + "a"; // 255 UTF-16 units
    JsonObject properties = new JsonObject().put("s255", S255).put("emojis", emojis).put("f", false)
        .put("zero", 0).put("empty", "").put("negative", -12).put("float", 0.25).put("big", 12345678901234567L)
        .put("dotted.key with space", "v");
    List<JsonObject> hundred = IntStream.range(0, 100)
        .mapToObj(i -> event("E" + i, "u" + i, 1_700_000_000_000L + i, properties)).toList();
    JsonObject minimal = new JsonObject().put("eventName", "Minimal").put("eventUniqueId", "u");

    assertThat(http.post("/event/batch", batch("k", hundred.toArray(JsonObject[]::new))).statusCode())
        .isEqualTo(200);
    assertThat(http.post("/event/batch", batch("k", minimal)).statusCode()).isEqualTo(200);
    assertThat(http.post("/event", minimal.copy().put("apiKey", "k").put("properties", new JsonObject()))
        .statusCode()).isEqualTo(200);
    assertThat(http.post("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u")
        .put("properties", properties)).statusCode()).isEqualTo(200);

    assertThat(simulator.stats().acceptedEvents()).isEqualTo(102);
    assertThat(simulator.events().get(5).getJsonObject("properties")).isEqualTo(properties);
  }

  @Test
  void bodyOverOneMillionBytesIs413AndExactlyOneMillionIsAccepted() {
    Buffer valid = batch("k", ok()).toBuffer();
    Buffer exactlyMax = valid.copy().appendString(" ".repeat(1_000_000 - valid.length()));
    Buffer overMax = valid.copy().appendString(" ".repeat(1_000_001 - valid.length()));
    assertThat(exactlyMax.length()).isEqualTo(1_000_000);

    assertRejected(http.postRaw("/event/batch", "application/json", overMax), 413, "1000000");
    assertThat(simulator.events()).isEmpty();
    assertThat(simulator.stats().rejected(413)).isEqualTo(1);
    assertThat(simulator.requests().get(0).path()).isEqualTo("/service/event/batch");

    assertThat(http.postRaw("/event/batch", "application/json", exactlyMax).statusCode()).isEqualTo(200);
    assertThat(simulator.events()).hasSize(1);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    // No Content-Length: the limit is enforced while reading the body.
    HttpClientAgent client = vertx.createHttpClient();
    try {
      Future<JsonObject> answer = client.request(HttpMethod.POST, simulator.port(), "127.0.0.1",
          "/service/event/batch").compose(request -> {
            request.setChunked(true).putHeader("Content-Type", "application/json");
            request.write(batch("k", ok()).toBuffer());
            for (int i = 0; i < 12; i++) {
              request.write(Buffer.buffer(" ".repeat(100_000)));
            }
            request.end();
            return request.response();
          })
          // read the body in the same chain, before it can flow past unread
          .compose(response -> response.body().map(body -> new JsonObject()
              .put("status", response.statusCode()).put("body", body.toJsonObject())));
      JsonObject response = SimulatorHttp.await(answer);
      assertThat(response.getInteger("status")).isEqualTo(413);
      assertThat(response.getJsonObject("body").getString("message")).contains("1000000");
      assertThat(simulator.events()).isEmpty();
    } finally {
      client.close();
    }
  }

  @Test
  void unknownApiKeyIs401WhenKeysAreConfigured() {
    IndicativeSimulator keyed = IndicativeSimulator.start(vertx,
        new SimulatorOptions().setInstances(1).setValidApiKeys(List.of("good-1", "good-2"))).await();
    SimulatorHttp client = new SimulatorHttp(vertx, keyed);
    try {
      assertRejected(client.post("/event/batch", batch("bad", ok())), 401, "apiKey");
      assertRejected(client.post("/identify", new JsonObject().put("apiKey", "bad").put("uniqueId", "u")), 401,
          "apiKey");
      assertRejected(client.post("/alias", new JsonObject().put("apiKey", "Good-1").put("previousId", "a")
          .put("newId", "b")), 401, "apiKey");
      // a missing key is a malformed request, not a wrong one
      assertRejected(client.post("/event/batch", new JsonObject().put("events", new JsonArray().add(ok()))), 400,
          "apiKey");
      assertThat(keyed.events()).isEmpty();
      assertThat(keyed.stats().rejected(401)).isEqualTo(3);

      assertThat(client.post("/event/batch", batch("good-2", ok())).statusCode()).isEqualTo(200);
      assertThat(client.post("/identify", new JsonObject().put("apiKey", "good-1").put("uniqueId", "u"))
          .statusCode()).isEqualTo(200);
      assertThat(keyed.events()).extracting(e -> e.getString("apiKey")).containsExactly("good-2");
    } finally {
      client.close();
      keyed.close().await();
    }
  }

  static void assertRejected(HttpResponse<Buffer> response, int status, String messagePart) {
    assertThat(response.statusCode()).as("status of answer %s", response.bodyAsString()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getBoolean("success")).isFalse();
    assertThat(body.getString("message")).contains(messagePart);
  }

  private static JsonObject withoutField(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }
}
