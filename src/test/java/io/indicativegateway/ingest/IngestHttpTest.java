package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.store.DeadLetter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class IngestHttpTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private GatewayHarness gw;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    gw = GatewayHarness.start(vertx, dir, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return gw.send(path, WRITE_KEY, body);
  }

  private List<JsonObject> eventsNamed(String name) {
    return gw.simulator.events().stream().filter(e -> name.equals(e.getString("eventName"))).toList();
  }

  @Test
  void trackArrivesAtIndicativeTranslated() throws Exception {
    HttpResponse<Buffer> response = post("/v1/track", new JsonObject("""
        {"userId":"u-1","event":"Order Completed","properties":{"order":{"total":30.5},"tags":["a","b"]},
         "timestamp":"2026-01-01T00:00:00Z"}"""));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("success", true));
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    eventually(WAIT, "the event at Indicative", () -> !eventsNamed("Order Completed").isEmpty());
    JsonObject event = eventsNamed("Order Completed").get(0);
    assertThat(event.getString("apiKey")).isEqualTo(PROJECT_KEY);
    assertThat(event.getString("eventUniqueId")).isEqualTo("u-1");
    assertThat(event.getLong("eventTime")).isEqualTo(1767225600000L);
    assertThat(event.getJsonObject("properties").getValue("order.total")).isEqualTo(30.5);
    assertThat(event.getJsonObject("properties").getValue("tags")).isEqualTo("a,b");
  }

  @Test
  void everyCallTypeHasItsEndpointAndTrailingSlashesWork() throws Exception {
    assertThat(post("/v1/identify/", new JsonObject("{\"userId\":\"u-2\",\"anonymousId\":\"a-2\","
        + "\"traits\":{\"plan\":\"pro\"}}")).statusCode()).isEqualTo(200);
    assertThat(post("/v1/page", new JsonObject("{\"anonymousId\":\"a-3\",\"name\":\"Home\"}")).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/screen/", new JsonObject("{\"userId\":\"u-4\",\"name\":\"Settings\"}")).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/alias", new JsonObject("{\"userId\":\"u-5\",\"previousId\":\"a-5\"}")).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/group", new JsonObject("{\"userId\":\"u-6\",\"groupId\":\"g-1\","
        + "\"traits\":{\"name\":\"Initech\"}}")).statusCode()).isEqualTo(200);
    eventually(WAIT, "page, screen, identifies and aliases", () ->
        !eventsNamed("Page View Home").isEmpty() && !eventsNamed("Screen View Settings").isEmpty()
            && gw.simulator.identifies().size() >= 2 && gw.simulator.aliases().size() >= 2);
    assertThat(gw.simulator.identifies()).anySatisfy(identify -> {
      assertThat(identify.getString("uniqueId")).isEqualTo("u-2");
      assertThat(identify.getJsonObject("properties").getString("plan")).isEqualTo("pro");
    });
    assertThat(gw.simulator.identifies()).anySatisfy(identify -> {
      assertThat(identify.getString("uniqueId")).isEqualTo("u-6");
      assertThat(identify.getJsonObject("properties").getString("groupId")).isEqualTo("g-1");
      assertThat(identify.getJsonObject("properties").getString("group.name")).isEqualTo("Initech");
    });
    assertThat(gw.simulator.aliases()).extracting(a -> a.getString("previousId") + ">" + a.getString("newId"))
        .contains("a-2>u-2", "a-5>u-5");
  }

  @Test
  void theWriteKeyMayComeInTheBodyAndAnyContentTypeIsAccepted() throws Exception {
    JsonObject body = new JsonObject().put("writeKey", WRITE_KEY).put("userId", "u").put("event", "Beacon");
    HttpResponse<Buffer> response = gw.post("/v1/track").putHeader("Content-Type", "text/plain;charset=UTF-8")
        .sendBuffer(body.toBuffer()).await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    eventually(WAIT, "the beacon event", () -> !eventsNamed("Beacon").isEmpty());
  }

  @Test
  void unknownOrMissingWriteKeysAre401AndNothingIsStored() throws Exception {
    JsonObject body = new JsonObject().put("userId", "u").put("event", "Nope");
    HttpResponse<Buffer> unknown = gw.send("/v1/track", "not-a-key", body);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(unknown.bodyAsJsonObject().getString("error")).contains("write key");
    HttpResponse<Buffer> missing = gw.post("/v1/track").sendBuffer(body.toBuffer()).await(10, TimeUnit.SECONDS);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(gw.gateway.store().undeliveredCount()).isZero();
    assertThat(gw.gateway.metrics().total("gateway.messages.accepted")).isZero();
  }

  @Test
  void invalidSingleCallsAre400NamingTheField() throws Exception {
    HttpResponse<Buffer> noId = post("/v1/track", new JsonObject().put("event", "x"));
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(noId.bodyAsJsonObject().getString("error")).contains("userId or anonymousId");
    HttpResponse<Buffer> noEvent = post("/v1/track", new JsonObject().put("userId", "u"));
    assertThat(noEvent.statusCode()).isEqualTo(400);
    assertThat(noEvent.bodyAsJsonObject().getString("error")).contains("event");
    HttpResponse<Buffer> notJson = gw.post("/v1/track", WRITE_KEY).sendBuffer(Buffer.buffer("{\"userId\":"))
        .await(10, TimeUnit.SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("error")).contains("not valid JSON");
  }

  @Test
  void oversizedBodiesAre413EvenWhenCompressed() throws Exception {
    JsonObject big = new JsonObject().put("userId", "u").put("event", "big").put("properties",
        new JsonObject().put("blob", "x".repeat(40_000)));
    HttpResponse<Buffer> single = post("/v1/track", big);
    assertThat(single.statusCode()).isEqualTo(413);
    assertThat(single.bodyAsJsonObject().getBoolean("success")).isFalse();
    // the answer names the configured limit, and speaks of decompression only for a compressed body
    assertThat(single.bodyAsJsonObject().getString("error"))
        .isEqualTo("the request body exceeds the limit of 32768 bytes");
    HttpResponse<Buffer> wayOver = post("/v1/track", new JsonObject().put("userId", "u").put("event", "big")
        .put("properties", new JsonObject().put("blob", "x".repeat(100_000))));
    assertThat(wayOver.statusCode()).isEqualTo(413);
    assertThat(wayOver.bodyAsJsonObject().getString("error"))
        .isEqualTo("the request body exceeds the limit of 32768 bytes");

    byte[] compressed = RequestBodyDecoderTest.gzip(big.toBuffer().getBytes());
    assertThat(compressed.length).isLessThan(1000);
    HttpResponse<Buffer> gzipped = gw.post("/v1/track", WRITE_KEY).putHeader("Content-Encoding", "gzip")
        .sendBuffer(Buffer.buffer(compressed)).await(10, TimeUnit.SECONDS);
    assertThat(gzipped.statusCode()).isEqualTo(413);
    assertThat(gzipped.bodyAsJsonObject().getString("error")).contains("32768 bytes (after decompression)");

    JsonArray many = new JsonArray();
    for (int i = 0; i < 2501; i++) {
      many.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "e"));
    }
    HttpResponse<Buffer> tooMany = post("/v1/batch", new JsonObject().put("batch", many));
    assertThat(tooMany.statusCode()).isEqualTo(413);
    assertThat(tooMany.bodyAsJsonObject().getString("error")).contains("2501");

    JsonArray heavy = new JsonArray();
    for (int i = 0; i < 20; i++) {
      heavy.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "e")
          .put("properties", new JsonObject().put("p", "y".repeat(30_000))));
    }
    assertThat(post("/v1/batch", new JsonObject().put("batch", heavy)).statusCode()).isEqualTo(413);
    assertThat(gw.gateway.store().undeliveredCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate"})
  void compressedBodiesAreAccepted(String encoding) throws Exception {
    byte[] json = new JsonObject().put("userId", "u").put("event", "Compressed " + encoding).toBuffer().getBytes();
    byte[] body = encoding.equals("gzip") ? RequestBodyDecoderTest.gzip(json)
        : RequestBodyDecoderTest.deflate(json, false);
    HttpResponse<Buffer> response = gw.post("/v1/track", WRITE_KEY).putHeader("Content-Encoding", encoding)
        .sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    eventually(WAIT, "the compressed event", () -> !eventsNamed("Compressed " + encoding).isEmpty());
  }

  @Test
  void aBatchWithSomeInvalidMessagesAcceptsTheValidOnesAndReportsTheRest() throws Exception {
    JsonObject body = new JsonObject("""
        {"batch":[
          {"type":"track","userId":"u","event":"Good 1","messageId":"m-good-1"},
          {"type":"track","userId":"u","messageId":"m-bad-1"},
          "not an object",
          {"type":"identify","anonymousId":"a","traits":{"x":1}},
          {"type":"launch","userId":"u","messageId":"m-bad-2"},
          {"type":"page","userId":"u","name":"Pricing","messageId":"m-good-2"}
        ],
        "context":{"library":{"name":"test-lib"}}}""");
    HttpResponse<Buffer> response = post("/v1/batch", body);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getBoolean("success")).isTrue();
    assertThat(answer.getInteger("accepted")).isEqualTo(3);
    JsonArray rejected = answer.getJsonArray("rejected");
    assertThat(rejected).hasSize(3);
    assertThat(rejected.getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(rejected.getJsonObject(0).getString("messageId")).isEqualTo("m-bad-1");
    assertThat(rejected.getJsonObject(0).getString("error")).contains("event");
    assertThat(rejected.getJsonObject(1).getInteger("index")).isEqualTo(2);
    assertThat(rejected.getJsonObject(1).getString("messageId")).isNotBlank();
    assertThat(rejected.getJsonObject(2).getString("error")).contains("type must be one of");
    // the rejected ones are kept for inspection, not silently dropped
    var letters = gw.gateway.store().deadLetters(DeadLetter.Kind.REJECTED, 0, 10);
    assertThat(letters).hasSize(3)
        .allSatisfy(e -> assertThat(e.getValue().reason()).isEqualTo("validation"));
    // each id the answer gave, even one the gateway made up, finds its dead letter
    assertThat(letters).extracting(e -> e.getValue().message().getString("messageId"))
        .containsExactlyInAnyOrderElementsOf(rejected.stream().map(r -> ((JsonObject) r).getString("messageId"))
            .toList());
    eventually(WAIT, "the valid messages", () -> !eventsNamed("Good 1").isEmpty()
        && !eventsNamed("Page View Pricing").isEmpty() && !gw.simulator.identifies().isEmpty());
  }

  @Test
  void importIsTheLegacyNameOfBatch() throws Exception {
    JsonObject body = new JsonObject().put("batch", new JsonArray().add(new JsonObject().put("type", "track")
        .put("userId", "u").put("event", "Imported")));
    HttpResponse<Buffer> response = post("/v1/import/", body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
    eventually(WAIT, "the imported event", () -> !eventsNamed("Imported").isEmpty());
  }

  @Test
  void messagesExcludedByTheirIntegrationsAreAcceptedButNotForwarded() throws Exception {
    JsonObject off = new JsonObject().put("userId", "u").put("event", "Not for Indicative")
        .put("integrations", new JsonObject().put("Indicative", false));
    assertThat(post("/v1/track", off).statusCode()).isEqualTo(200);
    assertThat(post("/v1/track", new JsonObject().put("userId", "u").put("event", "After")).statusCode())
        .isEqualTo(200);
    eventually(WAIT, "the later event", () -> !eventsNamed("After").isEmpty());
    assertThat(eventsNamed("Not for Indicative")).isEmpty();
    assertThat(gw.gateway.metrics().total("gateway.messages.filtered")).isEqualTo(1);
  }

  @Test
  void unknownEndpointsAndMethodsGetJsonErrors() throws Exception {
    HttpResponse<Buffer> notFound = gw.post("/v1/launch", WRITE_KEY).sendBuffer(Buffer.buffer("{}"))
        .await(10, TimeUnit.SECONDS);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.bodyAsJsonObject().getBoolean("success")).isFalse();
    HttpResponse<Buffer> wrongMethod = gw.client.get(gw.port, "127.0.0.1", "/v1/track").send()
        .await(10, TimeUnit.SECONDS);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(new String(wrongMethod.body().getBytes(), StandardCharsets.UTF_8)).contains("POST");
  }

  @Test
  void formAndMultipartContentTypesAreReadAsJsonToo() throws Exception {
    for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/octet-stream"}) {
      JsonObject body = new JsonObject().put("userId", "u").put("event", "Typed " + type)
          .put("properties", new JsonObject().put("p", "100% & more=" + "x".repeat(2000)));
      HttpResponse<Buffer> response = gw.post("/v1/track", WRITE_KEY).putHeader("Content-Type", type)
          .sendBuffer(body.toBuffer()).await(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(type).isEqualTo(200);
    }
    eventually(WAIT, "the three events", () -> gw.simulator.events().size() == 3);
  }

  @Test
  void bodiesThatAreNotUtf8JsonAreClearlyRefused() throws Exception {
    byte[] utf16 = "{\"userId\":\"u\",\"event\":\"e\"}".getBytes(StandardCharsets.UTF_16);
    HttpResponse<Buffer> response = gw.post("/v1/track", WRITE_KEY).sendBuffer(Buffer.buffer(utf16))
        .await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("UTF-8");
  }

  @Test
  void numericIdsKeepEveryDigitAndAnIdThatCannotBeKeptIsRefusedNotDropped() throws Exception {
    HttpResponse<Buffer> exact = gw.post("/v1/track", WRITE_KEY).sendBuffer(Buffer.buffer(
        "{\"userId\":1.2345678901234567891,\"event\":\"Exact\"}")).await(10, TimeUnit.SECONDS);
    assertThat(exact.statusCode()).isEqualTo(200);
    for (String body : new String[] {"{\"userId\":1e400,\"event\":\"x\"}",
        "{\"anonymousId\":\"a\",\"userId\":1e400,\"event\":\"x\"}"}) {
      HttpResponse<Buffer> refused = gw.post("/v1/track", WRITE_KEY).sendBuffer(Buffer.buffer(body))
          .await(10, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).as(body).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("error")).contains("userId");
    }
    assertThat(post("/v1/group", new JsonObject().put("userId", "g")).statusCode()).isEqualTo(400);
    JsonObject longAlias = new JsonObject().put("userId", "A".repeat(300) + "y").put("previousId",
        "A".repeat(300) + "x");
    assertThat(post("/v1/alias", longAlias).statusCode()).isEqualTo(400);
    eventually(WAIT, "the exact-id event", () -> !eventsNamed("Exact").isEmpty());
    assertThat(eventsNamed("Exact").get(0).getString("eventUniqueId")).isEqualTo("1.2345678901234567891");
    assertThat(gw.simulator.events()).hasSize(1);
  }

  @Test
  void healthAnswersHeadAndOversizedDeclaredBodiesAreRefusedBeforeReading() throws Exception {
    assertThat(gw.client.head(gw.port, "127.0.0.1", "/health/live").send().await(10, TimeUnit.SECONDS)
        .statusCode()).isEqualTo(200);
    HttpResponse<Buffer> big = gw.post("/v1/batch", WRITE_KEY)
        .sendBuffer(Buffer.buffer(new byte[2 * 1024 * 1024])).await(10, TimeUnit.SECONDS);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(post("/v1/track", new JsonObject().put("userId", "u").put("event", "Still fine")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aBatchSentTwiceByARetryingClientIsDeliveredOncePerMessageId() throws Exception {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 50; i++) {
      batch.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "Retried batch")
          .put("messageId", "retry-" + i));
    }
    JsonObject body = new JsonObject().put("batch", batch);
    assertThat(post("/v1/batch", body.copy()).bodyAsJsonObject().getInteger("accepted")).isEqualTo(50);
    HttpResponse<Buffer> again = post("/v1/batch", body.copy()); // the client timed out and retries
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getInteger("accepted")).isEqualTo(50); // answered as accepted
    eventually(WAIT, "the first copies delivered", () -> eventsNamed("Retried batch").size() >= 50);
    Thread.sleep(300); // a second delivery would show up by now
    assertThat(eventsNamed("Retried batch")).hasSize(50);
    assertThat(gw.gateway.metrics().total("gateway.messages.duplicates")).isEqualTo(50);
  }
}
