package io.indicativegateway.sim;

import static io.indicativegateway.sim.SimulatorHttp.await;
import static io.indicativegateway.sim.SimulatorHttp.batch;
import static io.indicativegateway.sim.SimulatorHttp.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Recording: the cap, and completeness under concurrent requests. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorRecordingTest {

  private static JsonObject batchOf(String apiKey, int first, int count) {
    JsonObject[] events = IntStream.range(first, first + count)
        .mapToObj(i -> event("Played", "u" + i, 1_700_000_000_000L + i, new JsonObject().put("n", i)))
        .toArray(JsonObject[]::new);
    return batch(apiKey, events);
  }

  @Test
  void recordingStopsAtTheCapButCountingGoesOn(Vertx vertx) {
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setMaxRecorded(150))
        .await();
    SimulatorHttp http = new SimulatorHttp(vertx, simulator);
    try {
      assertThat(http.post("/event/batch", batchOf("k", 0, 100)).statusCode()).isEqualTo(200);
      assertThat(simulator.stats().recordingTruncated()).isFalse();
      assertThat(http.post("/event/batch", batchOf("k", 100, 100)).statusCode()).isEqualTo(200);
      assertThat(http.post("/identify", new JsonObject().put("apiKey", "k").put("uniqueId", "u")).statusCode())
          .isEqualTo(200);

      SimulatorStats stats = simulator.stats();
      assertThat(stats.acceptedEvents()).isEqualTo(200);
      assertThat(stats.acceptedIdentifies()).isEqualTo(1);
      assertThat(stats.recordedItems()).isEqualTo(150);
      assertThat(stats.recordingTruncated()).isTrue();
      assertThat(stats.toJson().getBoolean("recordingTruncated")).isTrue();
      // the first 150 events are kept, in order, the partly recorded batch included
      List<JsonObject> events = simulator.events();
      assertThat(events).hasSize(150);
      assertThat(events).extracting(e -> e.getString("eventUniqueId"))
          .containsExactlyElementsOf(IntStream.range(0, 150).mapToObj(i -> "u" + i).toList());
      assertThat(simulator.identifies()).isEmpty();
      assertThat(http.received("?from=140&limit=100")).hasSize(10);

      simulator.reset();
      assertThat(simulator.stats().recordingTruncated()).isFalse();
      assertThat(http.post("/event/batch", batchOf("k", 0, 1)).statusCode()).isEqualTo(200);
      assertThat(simulator.events()).hasSize(1);
    } finally {
      http.close();
      simulator.close().await();
    }
  }

  @Test
  void requestRecordsAreCappedToo(Vertx vertx) {
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setMaxRecorded(3))
        .await();
    SimulatorHttp http = new SimulatorHttp(vertx, simulator);
    try {
      for (int i = 0; i < 5; i++) {
        http.post("/alias", new JsonObject().put("apiKey", "k").put("previousId", "p" + i).put("newId", "n"));
      }
      assertThat(simulator.requests()).hasSize(3);
      assertThat(simulator.aliases()).extracting(a -> a.getString("previousId")).containsExactly("p0", "p1", "p2");
      SimulatorStats stats = simulator.stats();
      assertThat(stats.requests()).isEqualTo(5);
      assertThat(stats.acceptedAliases()).isEqualTo(5);
      assertThat(stats.recordedRequests()).isEqualTo(3);
      assertThat(stats.recordingTruncated()).isTrue();
    } finally {
      http.close();
      simulator.close().await();
    }
  }

  @Test
  void zeroCapCountsWithoutStoring(Vertx vertx) {
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setMaxRecorded(0))
        .await();
    SimulatorHttp http = new SimulatorHttp(vertx, simulator);
    try {
      assertThat(http.post("/event/batch", batchOf("k", 0, 10)).statusCode()).isEqualTo(200);
      assertThat(simulator.events()).isEmpty();
      assertThat(simulator.requests()).isEmpty();
      assertThat(simulator.stats().acceptedEvents()).isEqualTo(10);
      assertThat(simulator.stats().recordingTruncated()).isTrue();
    } finally {
      http.close();
      simulator.close().await();
    }
  }

  @Test
  void concurrentRequestsAreAllRecordedExactlyOnce(Vertx vertx) throws InterruptedException {
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setInstances(2))
        .await();
    SimulatorHttp http = new SimulatorHttp(vertx, simulator, 32);
    int batches = 400;
    int perBatch = 50;
    try {
      List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        answers.add(http.postAsync("/event/batch", batchOf("key-" + (b % 4), b * perBatch, perBatch)));
        answers.add(http.postAsync("/identify", new JsonObject().put("apiKey", "key-" + (b % 4))
            .put("uniqueId", "u" + b)));
      }
      // reading while requests are being recorded must be safe, and show whole batches only
      Future<?> all = Future.all(answers);
      while (!all.isComplete()) {
        assertThat(simulator.events().size() % perBatch).isZero();
        Thread.sleep(20);
      }
      await(all);
      assertThat(answers).allSatisfy(a -> assertThat(a.result().statusCode()).isEqualTo(200));

      List<JsonObject> events = simulator.events();
      assertThat(events).hasSize(batches * perBatch);
      Set<String> ids = new HashSet<>();
      for (JsonObject e : events) {
        ids.add(e.getString("eventUniqueId"));
        int n = e.getJsonObject("properties").getInteger("n");
        assertThat(e.getString("eventUniqueId")).isEqualTo("u" + n);
        assertThat(e.getString("apiKey")).isEqualTo("key-" + ((n / perBatch) % 4));
      }
      assertThat(ids).hasSize(batches * perBatch);
      assertThat(simulator.identifies()).hasSize(batches);
      assertThat(simulator.requests()).hasSize(2 * batches);
      SimulatorStats stats = simulator.stats();
      assertThat(stats.requests()).isEqualTo(2 * batches);
      assertThat(stats.acceptedEvents()).isEqualTo((long) batches * perBatch);
      assertThat(stats.acceptedIdentifies()).isEqualTo(batches);
      assertThat(stats.recordedItems()).isEqualTo((long) batches * perBatch + batches);
    } finally {
      http.close();
      simulator.close().await();
    }
  }
}
