package io.indicativegateway.sim;

import static io.indicativegateway.sim.SimulatorHttp.batch;
import static io.indicativegateway.sim.SimulatorHttp.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code simulator} command's arguments, and the verticle wrapper. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorCommandTest {

  @Test
  void parsesEveryOptionInBothForms() {
    SimulatorOptions options = SimulatorCommand.parseArgs("--port", "8123", "--host=0.0.0.0",
        "--api-keys", "k1, k2,,k3", "--max-recorded=5000", "--instances", "3");
    assertThat(options.getPort()).isEqualTo(8123);
    assertThat(options.getHost()).isEqualTo("0.0.0.0");
    assertThat(options.getValidApiKeys()).containsExactlyInAnyOrder("k1", "k2", "k3");
    assertThat(options.getMaxRecorded()).isEqualTo(5000);
    assertThat(options.getInstances()).isEqualTo(3);

    SimulatorOptions defaults = SimulatorCommand.parseArgs();
    assertThat(defaults.getPort()).isZero();
    assertThat(defaults.getHost()).isEqualTo("127.0.0.1");
    assertThat(defaults.getValidApiKeys()).isEmpty();
    assertThat(defaults.getMaxRecorded()).isEqualTo(1_000_000);
  }

  @Test
  void badArgumentsAreRefusedWithUsage() {
    assertThatThrownBy(() -> SimulatorCommand.parseArgs("--prot", "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--prot").hasMessageContaining("usage");
    assertThatThrownBy(() -> SimulatorCommand.parseArgs("--port"))
        .hasMessageContaining("missing value for --port");
    assertThatThrownBy(() -> SimulatorCommand.parseArgs("--port", "eighty"))
        .hasMessageContaining("--port").hasMessageContaining("eighty");
    assertThatThrownBy(() -> SimulatorCommand.parseArgs("--port", "70000")).hasMessageContaining("65535");
    assertThatThrownBy(() -> SimulatorCommand.parseArgs("--max-recorded", "-1")).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> SimulatorCommand.parseArgs("--help")).hasMessageContaining("usage");
  }

  @Test
  void runStartsTheSimulatorOnTheRequestedPortWithTheKeys(Vertx vertx) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    IndicativeSimulator simulator = SimulatorCommand.run(vertx,
        new String[] {"--port", Integer.toString(port), "--api-keys", "secret"}).await();
    SimulatorHttp http = new SimulatorHttp(vertx, simulator);
    try {
      assertThat(simulator.port()).isEqualTo(port);
      assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + port + "/service");
      assertThat(http.post("/event/batch", batch("secret", event("A", "u", 1L, new JsonObject()))).statusCode())
          .isEqualTo(200);
      assertThat(http.post("/event/batch", batch("other", event("A", "u", 1L, new JsonObject()))).statusCode())
          .isEqualTo(401);
    } finally {
      http.close();
      simulator.close().await();
    }
  }

  @Test
  void runFailsWithoutStartingOnBadArguments(Vertx vertx) {
    assertThatThrownBy(() -> SimulatorCommand.run(vertx, new String[] {"--instances", "0"}).await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instances");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void verticleTakesItsOptionsFromConfigAndClosesOnUndeploy(Vertx vertx) {
    SimulatorVerticle verticle = new SimulatorVerticle();
    String id = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(
        new SimulatorOptions().setValidApiKeys(java.util.List.of("vk")).setInstances(2).toJson())).await();
    IndicativeSimulator simulator = verticle.simulator();
    SimulatorHttp http = new SimulatorHttp(vertx, simulator);
    try {
      assertThat(http.post("/event/batch", batch("vk", event("A", "u", 1L, new JsonObject()))).statusCode())
          .isEqualTo(200);
      assertThat(http.post("/event/batch", batch("nope", event("A", "u", 1L, new JsonObject()))).statusCode())
          .isEqualTo(401);

      vertx.undeploy(id).await();
      assertThat(vertx.deploymentIDs()).isEmpty();
      assertThatThrownBy(() -> http.post("/event/batch", batch("vk", event("A", "u", 1L, new JsonObject()))))
          .isNotNull();
    } finally {
      http.close();
    }
  }

  @Test
  void optionsRoundTripThroughJsonAndHideKeysWhenPrinted() {
    SimulatorOptions options = new SimulatorOptions().setHost("::1").setPort(9).setValidApiKeys(
        java.util.List.of("b", "a")).setMaxRecorded(7).setMaxBodyBytes(1000).setMaxEventsPerBatch(10)
        .setMaxStringLength(20).setInstances(1);
    assertThat(new SimulatorOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(options.toString()).doesNotContain("\"a\"").contains("\"validApiKeys\":2");
    assertThatThrownBy(() -> new SimulatorOptions(new JsonObject().put("port", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
