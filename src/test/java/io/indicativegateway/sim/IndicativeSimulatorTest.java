package io.indicativegateway.sim;

import static io.indicativegateway.sim.SimulatorHttp.await;
import static io.indicativegateway.sim.SimulatorHttp.batch;
import static io.indicativegateway.sim.SimulatorHttp.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IndicativeSimulatorTest {

  private IndicativeSimulator simulator;
  private SimulatorHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setInstances(2)).await();
    http = new SimulatorHttp(vertx, simulator);
  }

  @AfterEach
  void stop() {
    http.close();
    simulator.close().await();
  }

  @Test
  void listensOnAnEphemeralLoopbackPort() {
    assertThat(simulator.port()).isPositive();
    assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port() + "/service");
    assertThat(simulator.controlUrl()).isEqualTo("http://127.0.0.1:" + simulator.port() + "/_simulator");
  }

  @Test
  void validBatchIsAnsweredSuccessAndRecordedExactly() {
    JsonObject first = event("Signed Up", "user-1", 1_700_000_000_123L, new JsonObject()
        .put("plan", "pro").put("seats", 3).put("price", 9.5).put("trial", false).put("empty", "").put("zero", 0));
    JsonObject second = new JsonObject().put("eventName", "Page View").put("eventUniqueId", "anon-7");
    JsonObject third = event("Checkout", "12345678901234567", 1_700_000_000_999L, new JsonObject());

    HttpResponse<Buffer> response = http.post("/event/batch", batch("project-key", first, second, third));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("success", true));
    assertThat(simulator.events()).containsExactly(
        first.copy().put("apiKey", "project-key"),
        second.copy().put("apiKey", "project-key"),
        third.copy().put("apiKey", "project-key"));
    // numbers keep their JSON types and every digit
    assertThat(simulator.events().get(0).getValue("eventTime")).isEqualTo(1_700_000_000_123L);
    assertThat(simulator.events().get(0).getJsonObject("properties").getValue("price")).isEqualTo(9.5);

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).hasSize(1);
    RecordedRequest request = requests.get(0);
    assertThat(request.path()).isEqualTo("/service/event/batch");
    assertThat(request.status()).isEqualTo(200);
    assertThat(request.apiKey()).isEqualTo("project-key");
    assertThat(request.eventCount()).isEqualTo(3);
    assertThat(request.client()).isEqualTo("simulator-tests/1.0");
    assertThat(request.message()).isNull();
    assertThat(request.receivedAtMillis()).isCloseTo(System.currentTimeMillis(),
        org.assertj.core.data.Offset.offset(60_000L));

    SimulatorStats stats = simulator.stats();
    assertThat(stats.requests()).isEqualTo(1);
    assertThat(stats.acceptedRequests()).isEqualTo(1);
    assertThat(stats.acceptedEvents()).isEqualTo(3);
    assertThat(stats.rejectedRequests()).isZero();
    assertThat(stats.recordingTruncated()).isFalse();
  }

  @Test
  void singleEventIdentifyAndAliasAreRecorded() {
    JsonObject single = event("Played", "u-1", 1_700_000_000_000L, new JsonObject().put("song", "x"))
        .put("apiKey", "k1");
    JsonObject identify = new JsonObject().put("apiKey", "k1").put("uniqueId", "u-1")
        .put("properties", new JsonObject().put("email", "a@b.c").put("age", 41).put("vip", true));
    JsonObject identifyWithoutProperties = new JsonObject().put("apiKey", "k2").put("uniqueId", "u-2");
    JsonObject alias = new JsonObject().put("apiKey", "k1").put("previousId", "anon-1").put("newId", "u-1");

    assertThat(http.post("/event", single).statusCode()).isEqualTo(200);
    assertThat(http.post("/identify", identify).statusCode()).isEqualTo(200);
    assertThat(http.post("/identify", identifyWithoutProperties).statusCode()).isEqualTo(200);
    assertThat(http.post("/alias", alias).statusCode()).isEqualTo(200);

    assertThat(simulator.events()).containsExactly(single);
    assertThat(simulator.identifies()).containsExactly(identify, identifyWithoutProperties);
    assertThat(simulator.aliases()).containsExactly(alias);
    assertThat(simulator.requests()).extracting(RecordedRequest::path, RecordedRequest::eventCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/service/event", 1),
            org.assertj.core.groups.Tuple.tuple("/service/identify", 0),
            org.assertj.core.groups.Tuple.tuple("/service/identify", 0),
            org.assertj.core.groups.Tuple.tuple("/service/alias", 0));
    SimulatorStats stats = simulator.stats();
    assertThat(stats.acceptedEvents()).isEqualTo(1);
    assertThat(stats.acceptedIdentifies()).isEqualTo(2);
    assertThat(stats.acceptedAliases()).isEqualTo(1);
    assertThat(stats.recordedItems()).isEqualTo(4);
  }

  @Test
  void snapshotsBelongToTheCaller() {
    http.post("/event/batch", batch("k", event("A", "u", 1L, new JsonObject())));
    simulator.events().get(0).put("eventName", "changed");
    assertThat(simulator.events().get(0).getString("eventName")).isEqualTo("A");
  }

  @Test
  void contentTypeMayCarryACharset() {
    Buffer body = batch("k", event("A", "u", 1L, new JsonObject())).toBuffer();
    assertThat(http.postRaw("/event/batch", "application/json; charset=UTF-8", body).statusCode()).isEqualTo(200);
    assertThat(http.postRaw("/event/batch", "Application/JSON;charset=utf-8", body).statusCode()).isEqualTo(200);
    assertThat(simulator.events()).hasSize(2);
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() {
    HttpResponse<Buffer> unknown = http.post("/events/batch", batch("k", event("A", "u", 1L, new JsonObject())));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(unknown.bodyAsJsonObject().getString("message")).contains("/service/events/batch");

    HttpResponse<Buffer> outside = await(http.client().getAbs("http://127.0.0.1:" + simulator.port() + "/other")
        .send());
    assertThat(outside.statusCode()).isEqualTo(404);

    HttpResponse<Buffer> get = await(http.client().getAbs(simulator.baseUrl() + "/event/batch").send());
    assertThat(get.statusCode()).isEqualTo(405);

    assertThat(simulator.events()).isEmpty();
    assertThat(simulator.stats().rejected(404)).isEqualTo(2);
    assertThat(simulator.stats().rejected(405)).isEqualTo(1);
  }

  @Test
  void awaitAcceptedEventsCompletesOnceEnoughArrivedAndTimesOutOtherwise() {
    Future<SimulatorStats> waiting = simulator.awaitAcceptedEvents(3, java.time.Duration.ofSeconds(10));
    http.post("/event/batch", batch("k", event("A", "1", 1L, new JsonObject()), event("A", "2", 1L,
        new JsonObject())));
    assertThat(waiting.isComplete()).isFalse();
    http.post("/event/batch", batch("k", event("A", "3", 1L, new JsonObject())));
    assertThat(await(waiting).acceptedEvents()).isEqualTo(3);

    assertThatThrownBy(() -> simulator.awaitAcceptedEvents(4, java.time.Duration.ofMillis(100)).await())
        .isInstanceOf(java.util.concurrent.TimeoutException.class).hasMessageContaining("accepted 3 events");
  }

  @Test
  void closeStopsListeningAndKeepsRecordings(Vertx vertx) {
    http.post("/event/batch", batch("k", event("A", "u", 1L, new JsonObject())));
    simulator.close().await();
    simulator.close().await(); // idempotent

    Future<HttpResponse<Buffer>> after = http.postAsync("/event/batch", batch("k", event("B", "u", 1L,
        new JsonObject())));
    assertThatThrownBy(() -> await(after)).isNotNull();
    assertThat(simulator.events()).hasSize(1);
  }

  @Test
  void manyInstancesShareOnePort(Vertx vertx) {
    IndicativeSimulator four = IndicativeSimulator.start(vertx, new SimulatorOptions().setInstances(4)).await();
    SimulatorHttp client = new SimulatorHttp(vertx, four, 8);
    try {
      List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(client.postAsync("/event/batch", batch("k", event("A", "u" + i, 1L, new JsonObject()))));
      }
      await(Future.all(answers));
      assertThat(answers).allSatisfy(a -> assertThat(a.result().statusCode()).isEqualTo(200));
      assertThat(four.stats().acceptedEvents()).isEqualTo(40);
    } finally {
      client.close();
      four.close().await();
    }
  }

  @Test
  void startFailsWhenThePortIsTaken(Vertx vertx) {
    SimulatorOptions samePort = new SimulatorOptions().setPort(simulator.port()).setInstances(1);
    // Vert.x shares a port between servers of one Vertx instance, so take it from another one.
    Vertx other = Vertx.vertx();
    try {
      assertThatThrownBy(() -> IndicativeSimulator.start(other, samePort).await()).isNotNull();
    } finally {
      other.close().await();
    }
  }
}
