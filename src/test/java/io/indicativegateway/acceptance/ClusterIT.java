package io.indicativegateway.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.Bootstrap;
import io.indicativegateway.Gateway;
import io.indicativegateway.config.ClusterSettings;
import io.indicativegateway.config.GatewayConfig;
import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway nodes clustered with Hazelcast (TCP-IP join on 127.0.0.1, no multicast) and a producer node in the
 * same cluster: the producer's messages sent to the ingest address are answered after the durable write and reach
 * Indicative; when one gateway node stops, the producer keeps being served by the other.
 */
class ClusterIT {

  private static final String WRITE_KEY = "cluster-write-key";

  private static ClusterSettings cluster(int port, List<Integer> all) {
    List<String> members = all.stream().map(p -> "127.0.0.1:" + p).toList();
    return new ClusterSettings(true, "127.0.0.1", port, 0, members, "", false, "0.0.0.0", 0);
  }

  private static Gateway gateway(Bootstrap.Runtime node, Path dir, IndicativeSimulator simulator, int httpPort)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_HOST", "127.0.0.1");
    env.put("GATEWAY_PORT", Integer.toString(httpPort));
    env.put("GATEWAY_DATA_DIR", dir.toString());
    env.put("INDICATIVE_URL", simulator.baseUrl());
    env.put("GATEWAY_SOURCES", WRITE_KEY + "=cluster-project");
    env.put("GATEWAY_DELIVERY_LINGER_MS", "5");
    env.put("GATEWAY_SHUTDOWN_GRACE_MS", "2000");
    return Gateway.start(node.vertx(), GatewayConfig.from(new JsonObject(), env), node.registry())
        .await(30, TimeUnit.SECONDS);
  }

  /** Sends one message from the producer, retrying while the cluster re-forms; returns the reply's body. */
  private static JsonObject produce(Vertx producer, String messageId) throws Exception {
    JsonObject message = new JsonObject().put("type", "track").put("userId", "jvm-user").put("event", "From JVM")
        .put("messageId", messageId).put("properties", new JsonObject().put("mid", messageId));
    Exception last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return (JsonObject) producer.eventBus().request("indicative.ingest", message,
            new DeliveryOptions().addHeader("writeKey", WRITE_KEY).setSendTimeout(5000)).await(10, TimeUnit.SECONDS)
            .body();
      } catch (Exception e) {
        last = e; // no handler for a moment while a node leaves: try again
        Thread.sleep(200);
      }
    }
    throw last;
  }

  @Test
  void aProducerInAnotherNodeIsServedAndKeepsBeingServedWhenOneGatewayStops(@TempDir Path dir) throws Exception {
    Vertx local = Vertx.vertx();
    IndicativeSimulator simulator = IndicativeSimulator.start(local, new SimulatorOptions())
        .await(10, TimeUnit.SECONDS);
    List<Integer> ports = List.of(CrashRecoveryIT.freePort(), CrashRecoveryIT.freePort(), CrashRecoveryIT.freePort());
    List<Bootstrap.Runtime> nodes = new ArrayList<>();
    try {
      for (int port : ports) {
        nodes.add(Bootstrap.start(cluster(port, ports)).await(60, TimeUnit.SECONDS));
      }
      Gateway first = gateway(nodes.get(0), dir.resolve("node-1"), simulator, CrashRecoveryIT.freePort());
      Gateway second = gateway(nodes.get(1), dir.resolve("node-2"), simulator, CrashRecoveryIT.freePort());
      Vertx producer = nodes.get(2).vertx();

      Set<String> acknowledged = new HashSet<>();
      for (int i = 0; i < 40; i++) {
        assertThat(produce(producer, "before-" + i)).isEqualTo(new JsonObject().put("success", true));
        acknowledged.add("before-" + i);
      }
      // both nodes took a share (the event bus round-robins between the two consumers)
      assertThat(first.metrics().total("gateway.messages.accepted")).isPositive();
      assertThat(second.metrics().total("gateway.messages.accepted")).isPositive();

      first.stop().await(30, TimeUnit.SECONDS);
      nodes.get(0).vertx().close().await(30, TimeUnit.SECONDS);
      for (int i = 0; i < 40; i++) {
        assertThat(produce(producer, "after-" + i)).isEqualTo(new JsonObject().put("success", true));
        acknowledged.add("after-" + i);
      }
      CrashRecoveryIT.awaitAllReceived(simulator, acknowledged, java.time.Duration.ofSeconds(30));
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(CrashRecoveryIT.received(simulator).keySet());
      assertThat(lost).isEmpty();
      assertThat(second.metrics().total("gateway.messages.accepted")).isGreaterThanOrEqualTo(40);
      second.stop().await(30, TimeUnit.SECONDS);
    } finally {
      for (Bootstrap.Runtime node : nodes) {
        node.vertx().close().await(30, TimeUnit.SECONDS);
      }
      simulator.close().await(10, TimeUnit.SECONDS);
      local.close().await(10, TimeUnit.SECONDS);
    }
  }
}
