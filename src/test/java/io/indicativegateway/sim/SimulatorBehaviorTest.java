package io.indicativegateway.sim;

import static io.indicativegateway.sim.SimulatorHttp.await;
import static io.indicativegateway.sim.SimulatorHttp.batch;
import static io.indicativegateway.sim.SimulatorHttp.event;
import static io.indicativegateway.sim.SimulatorValidationTest.assertRejected;
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

/** Behaviour controls through the Java API. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorBehaviorTest {

  private IndicativeSimulator simulator;
  private SimulatorHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    // one instance = one event loop: a blocking delay would serialize the answers
    simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setInstances(1)).await();
    http = new SimulatorHttp(vertx, simulator, 10);
  }

  @AfterEach
  void stop() {
    http.close();
    simulator.close().await();
  }

  private HttpResponse<Buffer> send(String uniqueId) {
    return http.post("/event/batch", batch("k", event("Played", uniqueId, 1L, new JsonObject())));
  }

  @Test
  void failNextFailsExactlyThatManyRequestsThenAccepts() {
    simulator.failNext(503, 2);

    assertRejected(send("a"), 503, "simulated failure");
    assertRejected(send("b"), 503, "simulated failure");
    assertThat(send("c").statusCode()).isEqualTo(200);
    assertThat(send("d").statusCode()).isEqualTo(200);

    assertThat(simulator.events()).extracting(e -> e.getString("eventUniqueId")).containsExactly("c", "d");
    assertThat(simulator.stats().rejected(503)).isEqualTo(2);
    // failed requests are still recorded, with what they carried
    RecordedRequest failed = simulator.requests().get(0);
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.apiKey()).isEqualTo("k");
    assertThat(failed.eventCount()).isEqualTo(1);
    assertThat(simulator.behaviors().getValue("fail")).isNull();
  }

  @Test
  void failAlwaysFailsEveryEndpointUntilCleared() {
    simulator.failAlways(500);
    for (int i = 0; i < 3; i++) {
      assertThat(send("x" + i).statusCode()).isEqualTo(500);
    }
    assertThat(http.post("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u")).statusCode())
        .isEqualTo(500);
    assertThat(http.post("/alias", new JsonObject().put("apiKey", "k").put("previousId", "a").put("newId", "b"))
        .statusCode()).isEqualTo(500);
    // injected failures come before validation: even an invalid body gets the failure
    assertThat(http.postRaw("/event/batch", "text/plain", Buffer.buffer("x")).statusCode()).isEqualTo(500);
    // control endpoints are not affected
    assertThat(http.control("GET", "/stats", null).statusCode()).isEqualTo(200);

    simulator.clearBehaviors();
    assertThat(send("ok").statusCode()).isEqualTo(200);
    assertThat(simulator.events()).hasSize(1);
    assertThat(simulator.stats().rejected(500)).isEqualTo(6);
  }

  @Test
  void failNextCanSimulateAWrongProjectKey() {
    simulator.failNext(401, 1);
    assertRejected(send("a"), 401, "simulated failure");
    assertThat(send("b").statusCode()).isEqualTo(200);
  }

  @Test
  void throttleAnswers429WithRetryAfterForTheNextRequests() {
    simulator.throttle(7, 2);

    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> throttled = send("t" + i);
      assertRejected(throttled, 429, "too many requests");
      assertThat(throttled.getHeader("Retry-After")).isEqualTo("7");
    }
    HttpResponse<Buffer> accepted = send("ok");
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.getHeader("Retry-After")).isNull();
    assertThat(simulator.stats().rejected(429)).isEqualTo(2);
  }

  @Test
  void throttleAlwaysLastsUntilCleared() {
    simulator.throttleAlways(0);
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> throttled = send("t" + i);
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.getHeader("Retry-After")).isEqualTo("0");
    }
    simulator.clearBehaviors();
    assertThat(send("ok").statusCode()).isEqualTo(200);
  }

  @Test
  void failureTakesPrecedenceOverThrottlingAndOnlyTheAppliedOneIsUsed() {
    simulator.failNext(500, 1);
    simulator.throttle(1, 1);
    assertThat(send("a").statusCode()).isEqualTo(500);
    assertThat(send("b").statusCode()).isEqualTo(429);
    assertThat(send("c").statusCode()).isEqualTo(200);
  }

  @Test
  void failNextCountIsExactUnderConcurrency() {
    simulator.failNext(503, 10);
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(http.postAsync("/event/batch", batch("k", event("Played", "c" + i, 1L, new JsonObject()))));
    }
    await(Future.join(answers));
    assertThat(answers).extracting(a -> a.result().statusCode()).filteredOn(s -> s == 503).hasSize(10);
    assertThat(answers).extracting(a -> a.result().statusCode()).filteredOn(s -> s == 200).hasSize(30);
    assertThat(simulator.events()).hasSize(30);
  }

  @Test
  void delayAnswersNoSoonerThanTheDelay() {
    simulator.delay(300);
    long started = System.nanoTime();
    HttpResponse<Buffer> response = send("slow");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    // rejections are delayed too
    started = System.nanoTime();
    assertThat(http.post("/identify", new JsonObject().put("apiKey", "k")).statusCode()).isEqualTo(400);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(300);

    simulator.delay(0);
    assertThat(simulator.behaviors().getLong("delayMs")).isZero();
  }

  @Test
  void delayedAnswersDoNotBlockTheEventLoop() {
    simulator.delay(400);
    long started = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(http.postAsync("/event/batch", batch("k", event("Played", "d" + i, 1L, new JsonObject()))));
    }
    await(Future.all(answers));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(answers).allSatisfy(a -> assertThat(a.result().statusCode()).isEqualTo(200));
    assertThat(elapsedMs).isGreaterThanOrEqualTo(400);
    // five answers delayed one after the other on the single event loop would take 2 s
    assertThat(elapsedMs).isLessThan(1_600);
  }

  @Test
  void poisonedEventRejectsItsBatchNamingItSoAClientCanBisect() {
    simulator.poisonEventName("Bad Event");
    JsonObject ok0 = event("Played", "u0", 1L, new JsonObject());
    JsonObject ok1 = event("Paused", "u1", 1L, new JsonObject());
    JsonObject bad = event("Bad Event", "u2", 1L, new JsonObject());
    JsonObject ok3 = event("Played", "u3", 1L, new JsonObject());

    HttpResponse<Buffer> whole = http.post("/event/batch", batch("k", ok0, ok1, bad, ok3));
    assertRejected(whole, 400, "events[2]");
    assertThat(whole.bodyAsJsonObject().getString("message")).contains("Bad Event").contains("u2");

    assertThat(http.post("/event/batch", batch("k", ok0, ok1)).statusCode()).isEqualTo(200);
    assertRejected(http.post("/event/batch", batch("k", bad, ok3)), 400, "events[0]");
    assertThat(http.post("/event/batch", batch("k", ok3)).statusCode()).isEqualTo(200);
    assertRejected(http.post("/event/batch", batch("k", bad)), 400, "Bad Event");
    assertRejected(http.post("/event", bad.copy().put("apiKey", "k")), 400, "Bad Event");
    // only event names are poisoned
    assertThat(http.post("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "Bad Event"))
        .statusCode()).isEqualTo(200);

    assertThat(simulator.events()).extracting(e -> e.getString("eventUniqueId")).containsExactly("u0", "u1", "u3");

    simulator.poisonEventName("Other");
    assertThat(simulator.behaviors().getJsonArray("poisonEventNames").stream().map(String.class::cast))
        .containsExactlyInAnyOrder("Bad Event", "Other");
    simulator.clearBehaviors();
    assertThat(http.post("/event/batch", batch("k", bad)).statusCode()).isEqualTo(200);
  }

  @Test
  void resetDropsRecordingsCountersAndBehaviors() {
    send("a");
    simulator.failAlways(503);
    send("b");
    simulator.reset();

    assertThat(simulator.events()).isEmpty();
    assertThat(simulator.requests()).isEmpty();
    assertThat(simulator.stats().requests()).isZero();
    assertThat(simulator.stats().rejectedByStatus()).isEmpty();
    assertThat(send("c").statusCode()).isEqualTo(200);
  }

  @Test
  void invalidControlValuesAreRefused() {
    assertThatThrownBy(() -> simulator.failNext(99, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> simulator.failNext(503, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> simulator.throttle(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> simulator.throttle(1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> simulator.delay(-5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> simulator.poisonEventName("")).isInstanceOf(IllegalArgumentException.class);
  }
}
