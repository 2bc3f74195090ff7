package io.indicativegateway.deliver;

import static io.indicativegateway.GatewayHarness.OTHER_WRITE_KEY;
import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.sim.RecordedRequest;
import io.indicativegateway.store.DeadLetter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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

/**
 * Indicative misbehaving at the transport level never crashes delivery, never loses a stored message, and never
 * holds up another project: a reset or a hang ends in a retry, a huge or non-JSON 200 in a delivery, a huge
 * refusal in a dead letter that keeps only the start of the answer.
 */
@ExtendWith(VertxExtension.class)
class DeliveryFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private GatewayHarness gw;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_DELIVERY_REQUEST_TIMEOUT_MS", "1000"));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  private void track(String writeKey, String event) throws Exception {
    assertThat(gw.send("/v1/track", writeKey, new JsonObject().put("userId", "u").put("event", event))
        .statusCode()).isEqualTo(200);
  }

  private long delivered(String event) {
    return gw.simulator.events().stream().filter(e -> event.equals(e.getString("eventName"))).count();
  }

  private List<Integer> statuses() {
    return gw.simulator.requests().stream().map(RecordedRequest::status).toList();
  }

  @Test
  void aConnectionResetMidAnswerIsRetried() throws Exception {
    gw.simulator.misbehave("reset", 1);
    track(WRITE_KEY, "After a reset");
    eventually(WAIT, "delivered after the reset", () -> delivered("After a reset") == 1);
    assertThat(statuses()).containsExactly(0, 200); // 0: the simulated reset
    assertThat(gw.gateway.metrics().total("gateway.delivery.retries")).isEqualTo(1);
  }

  @Test
  void aHangPastTheTimeoutIsRetriedAndDoesNotHoldUpAnotherProject(Vertx vertx, @TempDir Path dir)
      throws Exception {
    // a timeout long enough that the other project's first delivery (cold, on a busy machine) fits inside it
    gw.close();
    gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_DELIVERY_REQUEST_TIMEOUT_MS", "5000"));
    gw.simulator.misbehave("hang", 1);
    track(WRITE_KEY, "After a hang");
    eventually(WAIT, "the hanging request sent", () -> !gw.simulator.requests().isEmpty());
    track(OTHER_WRITE_KEY, "Other project meanwhile");
    eventually(WAIT, "the other project's event delivered", () -> delivered("Other project meanwhile") == 1);
    assertThat(delivered("After a hang")).isZero(); // still waiting on its hanging request
    eventually(WAIT, "delivered after the timeout", () -> delivered("After a hang") == 1);
    assertThat(gw.gateway.store().undeliveredCount()).isZero();
  }

  @Test
  void aProjectWhoseEveryRequestHangsHoldsOnlyItsShareOfTheConnections(Vertx vertx, @TempDir Path dir)
      throws Exception {
    // 4 requests open at once in all, so at most 3 for one project; one event per request; no timeout in reach
    gw.close();
    gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_DELIVERY_MAX_IN_FLIGHT", "4",
        "GATEWAY_DELIVERY_MAX_EVENTS_PER_BATCH", "1", "GATEWAY_DELIVERY_REQUEST_TIMEOUT_MS", "120000"));
    gw.simulator.misbehave("hang", -1, PROJECT_KEY);
    for (int i = 0; i < 6; i++) {
      track(WRITE_KEY, "Hung " + i); // six requests: more than every connection there is
    }
    eventually(WAIT, "the hanging project's share in use", () -> hung() == 3);
    track(OTHER_WRITE_KEY, "Other project while one hangs");
    eventually(WAIT, "the other project's event delivered",
        () -> delivered("Other project while one hangs") == 1);
    assertThat(hung()).isEqualTo(3); // never more than its share, though three more of its requests wait
    assertThat(delivered("Hung 0")).isZero();
  }

  private long hung() {
    return statuses().stream().filter(status -> status == 0).count();
  }

  @Test
  void aHugeAnswerCountsAsDelivered() throws Exception {
    gw.simulator.misbehave("huge", 1);
    track(WRITE_KEY, "Huge answer");
    eventually(WAIT, "delivered", () -> delivered("Huge answer") == 1 && gw.gateway.store().undeliveredCount() == 0);
    assertThat(gw.gateway.metrics().total("gateway.delivery.retries")).isZero();
    assertThat(statuses()).containsExactly(200);
    assertReady();
  }

  @Test
  void aHugeRefusalEndsInADeadLetterWithTheAnswerCutAndNothingElseHeldUp() throws Exception {
    gw.simulator.misbehave("huge_refusal", 1);
    track(WRITE_KEY, "Hugely refused");
    eventually(WAIT, "dead-lettered", () -> !undeliverable().isEmpty());
    DeadLetter letter = undeliverable().get(0);
    assertThat(letter.reason()).isEqualTo("rejected-by-indicative");
    assertThat(letter.message().getString("event")).isEqualTo("Hugely refused");
    assertThat(letter.detail()).startsWith("HTTP 400").contains("simulated huge refusal");
    assertThat(letter.detail().length()).as("what is kept of a 10 MB answer").isLessThanOrEqualTo(8 * 1024);
    assertThat(gw.gateway.store().undeliveredCount()).isZero();
    assertThat(delivered("Hugely refused")).isZero();
    assertReady();
    track(WRITE_KEY, "After the huge refusal");
    eventually(WAIT, "the next event delivered", () -> delivered("After the huge refusal") == 1);
  }

  private List<DeadLetter> undeliverable() {
    return gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).stream()
        .map(Map.Entry::getValue).toList();
  }

  private void assertReady() throws Exception {
    assertThat(gw.client.get(gw.port, "127.0.0.1", "/health/ready").send().await(5, TimeUnit.SECONDS)
        .statusCode()).isEqualTo(200);
  }

  @Test
  void aNonJsonSuccessIsADelivery() throws Exception {
    gw.simulator.misbehave("garbage", 1);
    track(WRITE_KEY, "Garbage answer");
    eventually(WAIT, "delivered", () -> delivered("Garbage answer") == 1 && gw.gateway.store().undeliveredCount() == 0);
    assertThat(statuses()).containsExactly(200);
  }

  @Test
  void theAnswerBodyKeepsOnlyItsFirstBytes() throws Exception {
    CappedBody body = new CappedBody(100);
    body.write(io.vertx.core.buffer.Buffer.buffer("a".repeat(80)));
    body.write(io.vertx.core.buffer.Buffer.buffer("b".repeat(10_000)));
    body.end().await(1, TimeUnit.SECONDS);
    assertThat(body.text()).isEqualTo("a".repeat(80) + "b".repeat(20));
  }
}
