package io.indicativegateway.config;

import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sources in a watched file change without a restart; a broken file leaves the running ones in place. */
@ExtendWith(VertxExtension.class)
class SourcesReloadTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static int track(GatewayHarness gw, String writeKey) throws Exception {
    return gw.send("/v1/track", writeKey, new JsonObject().put("userId", "u").put("event", "Reload")).statusCode();
  }

  @Test
  void aSourceAddedToTheFileIsAcceptedAndARemovedOneRefusedWithoutARestart(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("sources");
    Files.writeString(file, "# write key = Indicative API key\nwk-a=proj-a\n");
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir.resolve("store"), Map.of(
        "GATEWAY_SOURCES", "", "GATEWAY_SOURCES_FILE", file.toString(), "GATEWAY_CONFIG_SCAN_MS", "100"))) {
      assertThat(track(gw, "wk-a")).isEqualTo(200);
      assertThat(track(gw, "wk-b")).isEqualTo(401);

      Files.writeString(file, "wk-a=proj-a\nwk-b=proj-b\n");
      eventually(WAIT, "wk-b accepted", () -> track(gw, "wk-b") == 200);
      eventually(WAIT, "wk-b's event in its project", () -> gw.simulator.events().stream()
          .anyMatch(e -> "proj-b".equals(e.getString("apiKey"))));

      Files.writeString(file, "wk-a=proj-a\nbroken line\n");
      Thread.sleep(500); // several scans
      assertThat(track(gw, "wk-b")).as("a broken file changes nothing").isEqualTo(200);

      Files.writeString(file, "wk-b=proj-b\n");
      eventually(WAIT, "wk-a refused", () -> track(gw, "wk-a") == 401);
      assertThat(track(gw, "wk-b")).isEqualTo(200);
    }
  }

  @Test
  void sourcesFromTheEnvironmentAreFixed() {
    GatewayConfig config = GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_SOURCES", "wk=proj"));
    assertThat(config.sourcesOrigin().kind()).isEqualTo(SourcesOrigin.Kind.ENVIRONMENT);
    assertThat(SourcesReloader.watch(null, config, new SourceRegistry(config.sources()))).isNull();
  }
}
