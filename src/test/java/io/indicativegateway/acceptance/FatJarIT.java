package io.indicativegateway.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar keeps every library's service registrations merged, so at run time Vert.x finds the metrics
 * backend and the cluster manager, and vertx-config finds the YAML processor.
 */
class FatJarIT {

  private static String service(JarFile jar, String name) throws Exception {
    var entry = jar.getEntry("META-INF/services/" + name);
    assertThat(entry).as(name).isNotNull();
    return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theServiceFilesAreMerged() throws Exception {
    try (JarFile jar = new JarFile(GatewayProcess.JAR.toFile())) {
      assertThat(service(jar, "io.vertx.core.spi.VertxServiceProvider"))
          .contains("io.vertx.micrometer.MicrometerMetricsFactory",
              "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager");
      assertThat(service(jar, "io.vertx.config.spi.ConfigProcessor"))
          .contains("io.vertx.config.yaml.YamlProcessor", "io.vertx.config.impl.spi.RawProcessor");
      assertThat(service(jar, "io.vertx.config.spi.ConfigStoreFactory")).contains("FileConfigStoreFactory");
      assertThat(service(jar, "com.hazelcast.DataSerializerHook")).isNotBlank();
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.indicativegateway.GatewayMain");
    }
  }

  @Test
  void atRunTimeTheJarHasMetricsTheClusterManagerAndTheYamlProcessor(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    IndicativeSimulator simulator = IndicativeSimulator.start(vertx, new SimulatorOptions())
        .await(10, TimeUnit.SECONDS);
    Path conf = dir.resolve("gateway.yaml");
    Files.writeString(conf, "sources:\n  - {name: one, writeKey: jar-wk-1, projectKey: jar-proj-1}\n");
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_CONFIG", conf.toString());
    env.put("GATEWAY_CONFIG_SCAN_MS", "200");
    env.put("GATEWAY_DATA_DIR", dir.resolve("store").toString());
    env.put("INDICATIVE_URL", simulator.baseUrl());
    env.put("GATEWAY_CLUSTER_ENABLED", "true");
    env.put("GATEWAY_CLUSTER_PORT", Integer.toString(CrashRecoveryIT.freePort()));
    int port = CrashRecoveryIT.freePort();
    Path log = dir.resolve("gateway.log");
    try (GatewayProcess gateway = new GatewayProcess(port, env, CrashRecoveryIT.JVM, log).start()) {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(track(http, port, "jar-wk-1")).isEqualTo(200);
      assertThat(track(http, port, "jar-wk-2")).isEqualTo(401);

      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("vertx_http_server_requests_total", "jvm_memory_used_bytes",
          "gateway_messages_accepted_total");

      // the YAML processor at work: the config file is watched and reloaded
      Files.writeString(conf, "sources:\n  - {name: one, writeKey: jar-wk-1, projectKey: jar-proj-1}\n"
          + "  - {name: two, writeKey: jar-wk-2, projectKey: jar-proj-2}\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      int status = 0;
      while (System.nanoTime() < deadline && (status = track(http, port, "jar-wk-2")) != 200) {
        Thread.sleep(200);
      }
      assertThat(status).isEqualTo(200);
      assertThat(Files.readString(log)).contains("Members {size:1").doesNotContain("jar-proj-1");
    } finally {
      simulator.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutSourcesTheJarSaysPlainlyThatItRunsAgainstTheLocalSimulatorAndDeliversThere(@TempDir Path dir)
      throws Exception {
    int simulatorPort = CrashRecoveryIT.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_DATA_DIR", dir.resolve("store").toString());
    env.put("GATEWAY_SIMULATOR_PORT", Integer.toString(simulatorPort));
    env.put("INDICATIVE_URL", "http://127.0.0.1:9/never-used");
    int port = CrashRecoveryIT.freePort();
    Path log = dir.resolve("gateway.log");
    try (GatewayProcess gateway = new GatewayProcess(port, env, CrashRecoveryIT.JVM, log).start()) {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(track(http, port, "dev-write-key")).isEqualTo(200);
      URI stats = URI.create("http://127.0.0.1:" + simulatorPort + "/_simulator/stats");
      GatewayHarness.eventually(Duration.ofSeconds(15), "the event at the bundled simulator", () ->
          new JsonObject(http.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.ofString())
              .body()).getLong("acceptedEvents") == 1);
      // the banner is a plain box, not a JSON log line (the process's stdout and stderr go to one file here)
      assertThat(Files.readAllLines(log)).contains(
          "*  NO INDICATIVE API KEY IS CONFIGURED: events go to the LOCAL INDICATIVE SIMULATOR at "
              + "http://127.0.0.1:" + simulatorPort + "/service");
    }
  }

  private static int track(HttpClient http, int port, String writeKey) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/track"))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes()))
            .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"Jar\"}")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
