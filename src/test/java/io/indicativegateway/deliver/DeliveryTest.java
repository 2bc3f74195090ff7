package io.indicativegateway.deliver;

import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.sim.RecordedRequest;
import io.indicativegateway.store.DeadLetter;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class DeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private GatewayHarness gw;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    gw = GatewayHarness.start(vertx, dir, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  private void track(String event) throws Exception {
    assertThat(gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u").put("event", event))
        .statusCode()).isEqualTo(200);
  }

  private List<RecordedRequest> batchRequests() {
    return gw.simulator.requests().stream().filter(r -> r.path().endsWith("/event/batch")).toList();
  }

  @Test
  void aThrottledRequestWaitsForRetryAfterThenSucceeds() throws Exception {
    gw.simulator.throttle(1, 1);
    track("Throttled");
    eventually(WAIT, "delivery after the throttle", () -> gw.simulator.events().size() == 1);
    List<RecordedRequest> requests = batchRequests();
    assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 200);
    long waited = requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis();
    assertThat(waited).as("ms between the 429 and the retry").isGreaterThanOrEqualTo(950);
    assertThat(requests.get(1).client()).startsWith("indicative-gateway/");
  }

  @Test
  void serverErrorsAreRetriedUntilDelivered() throws Exception {
    gw.simulator.failNext(500, 3);
    track("Retried");
    eventually(WAIT, "delivery after three 500s", () -> gw.simulator.events().size() == 1);
    assertThat(batchRequests()).extracting(RecordedRequest::status).containsExactly(500, 500, 500, 200);
    assertThat(gw.gateway.metrics().total("gateway.delivery.retries")).isEqualTo(3);
    eventually(WAIT, "the delivered record removed from the store",
        () -> gw.gateway.store().undeliveredCount() == 0);
  }

  @Test
  void aRefusedBatchIsBisectedSoOnlyThePoisonEventIsDeadLettered() throws Exception {
    gw.simulator.poisonEventName("Poison");
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 100; i++) {
      batch.add(new JsonObject().put("type", "track").put("userId", "u" + i)
          .put("event", i == 37 ? "Poison" : "Fine").put("messageId", "m-" + i));
    }
    assertThat(gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch)).statusCode()).isEqualTo(200);
    eventually(WAIT, "99 good events delivered", () -> gw.simulator.events().size() == 99);
    eventually(WAIT, "the poison event dead-lettered", () -> gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).size() == 1);
    DeadLetter letter = gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).get(0).getValue();
    assertThat(letter.reason()).isEqualTo("rejected-by-indicative");
    assertThat(letter.detail()).startsWith("HTTP 400").contains("Poison");
    assertThat(letter.message().getString("messageId")).isEqualTo("m-37");
    assertThat(letter.projectKey()).isEqualTo(PROJECT_KEY);
    assertThat(gw.simulator.events()).extracting(e -> e.getString("eventName")).containsOnly("Fine");
    // bisection: about log2(100) refused requests, not one per event
    long refused = batchRequests().stream().filter(r -> r.status() == 400).count();
    assertThat(refused).isBetween(5L, 9L);
    eventually(WAIT, "store emptied", () -> gw.gateway.store().undeliveredCount() == 0);
  }

  @Test
  void theCircuitOpensWhileIndicativeFailsSendsNothingThenClosesWhenItRecovers() throws Exception {
    gw.simulator.failAlways(503);
    track("Through the breaker");
    eventually(WAIT, "the circuit to open", () ->
        gw.gateway.delivery().breakerStates().containsValue(CircuitBreakerState.OPEN));
    int requestsWhenOpened = gw.simulator.requests().size();
    assertThat(requestsWhenOpened).isGreaterThanOrEqualTo(5); // breakerMaxFailures
    Thread.sleep(100); // well inside the 300 ms reset timeout: nothing may be sent
    assertThat(gw.simulator.requests().size()).isLessThanOrEqualTo(requestsWhenOpened + 1);
    assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(1); // kept while Indicative is down

    gw.simulator.clearBehaviors();
    eventually(WAIT, "delivery after recovery", () -> gw.simulator.events().size() == 1);
    eventually(WAIT, "the circuit to close", () ->
        gw.gateway.delivery().breakerStates().values().stream().allMatch(s -> s == CircuitBreakerState.CLOSED));
  }

  @Test
  void aStoredMessageThatCannotBeTranslatedIsDeadLetteredWithoutHoldingUpTheProject() throws Exception {
    byte[] damaged = "{\"type\":\"track\",\"userId\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    gw.gateway.store().append(new io.indicativegateway.store.AppendBatch(WRITE_KEY, PROJECT_KEY,
        System.currentTimeMillis(), List.of(new io.indicativegateway.store.IncomingMessage("damaged", damaged)),
        List.of())).await();
    track("After the damaged one");
    eventually(WAIT, "the next event delivered", () -> gw.simulator.events().size() == 1);
    eventually(WAIT, "the damaged message dead-lettered", () -> gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).size() == 1);
    DeadLetter letter = gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).get(0).getValue();
    assertThat(letter.reason()).isEqualTo("untranslatable");
    assertThat(letter.message().getString("unreadable")).isEqualTo(new String(damaged,
        java.nio.charset.StandardCharsets.UTF_8));
    eventually(WAIT, "store emptied", () -> gw.gateway.store().undeliveredCount() == 0);
  }

  @Test
  void identifyAndAliasGoOutBeforeTheEventsThatFollowThemEvenWhenTheyNeedRetries() throws Exception {
    gw.simulator.failNext(503, 2); // the first requests fail: if events did not wait, they would overtake
    JsonArray batch = new JsonArray()
        .add(new JsonObject().put("type", "identify").put("userId", "u-9").put("anonymousId", "a-9")
            .put("traits", new JsonObject().put("plan", "pro")))
        .add(new JsonObject().put("type", "track").put("userId", "u-9").put("event", "After identify"));
    assertThat(gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch)).statusCode()).isEqualTo(200);
    eventually(WAIT, "everything delivered", () -> gw.simulator.events().size() == 1
        && gw.simulator.identifies().size() == 1 && gw.simulator.aliases().size() == 1);
    List<RecordedRequest> requests = gw.simulator.requests();
    int lastIdentityDelivered = -1;
    int firstEventRequest = Integer.MAX_VALUE;
    for (int i = 0; i < requests.size(); i++) {
      RecordedRequest r = requests.get(i);
      if ((r.path().endsWith("/identify") || r.path().endsWith("/alias")) && r.status() == 200) {
        lastIdentityDelivered = Math.max(lastIdentityDelivered, i);
      }
      if (r.path().endsWith("/event/batch")) {
        firstEventRequest = Math.min(firstEventRequest, i);
      }
    }
    assertThat(requests).extracting(RecordedRequest::status).contains(503);
    assertThat(lastIdentityDelivered).isLessThan(firstEventRequest);
  }

  @Test
  void anAliasPairAlreadyDeliveredIsNotSentAgainByALaterRequest() throws Exception {
    JsonObject identify = new JsonObject().put("userId", "u-77").put("anonymousId", "a-77")
        .put("traits", new JsonObject().put("plan", "free"));
    assertThat(gw.send("/v1/identify", WRITE_KEY, identify.copy()).statusCode()).isEqualTo(200);
    eventually(WAIT, "the first identify and its alias", () -> gw.simulator.aliases().size() == 1
        && gw.simulator.identifies().size() == 1);
    eventually(WAIT, "the alias remembered", () -> gw.gateway.store().undeliveredCount() == 0);
    assertThat(gw.send("/v1/identify", WRITE_KEY, identify.copy().put("traits",
        new JsonObject().put("plan", "pro"))).statusCode()).isEqualTo(200);
    eventually(WAIT, "the second identify", () -> gw.simulator.identifies().size() == 2);
    eventually(WAIT, "store drained", () -> gw.gateway.store().undeliveredCount() == 0);
    assertThat(gw.simulator.aliases()).hasSize(1); // the pair was sent once
  }
}
