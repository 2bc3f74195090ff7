package io.indicativegateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.config.GatewayConfig;
import io.indicativegateway.store.EventStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.Status;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The rules of the readiness checks, without a running gateway. */
@ExtendWith(VertxExtension.class)
class GatewayHealthTest {

  private static final String REFUSED = "Indicative answers HTTP 401 to this project key";

  private static ProjectStatus flowing(String project) {
    return new ProjectStatus(project, "CLOSED", null, true);
  }

  private static ProjectStatus refused(String project, boolean configured) {
    return new ProjectStatus(project, "OPEN", REFUSED, configured);
  }

  @Test
  void notReadyBeforeStartCompletesThenReady(Vertx vertx, @TempDir Path dir) throws Exception {
    EventStore store = EventStore.open(GatewayConfig.from(new JsonObject(),
        Map.of("GATEWAY_DATA_DIR", dir.toString())).store());
    try {
      Readiness lifecycle = new Readiness();
      var checks = GatewayHealth.readiness(vertx, lifecycle, store, List::of);

      CheckResult starting = checks.checkStatus().await(10, TimeUnit.SECONDS);
      assertThat(starting.getUp()).isFalse();
      CheckResult check = lifecycleCheck(starting);
      assertThat(check.getUp()).isFalse();
      assertThat(check.getStatus().getData().getString("reason")).isEqualTo("starting");
      assertThat(starting.getChecks()).filteredOn(c -> !"lifecycle".equals(c.getId()))
          .allSatisfy(c -> assertThat(c.getUp()).as(c.getId()).isTrue()); // only the lifecycle holds it down

      lifecycle.markStarted();
      assertThat(checks.checkStatus().await(10, TimeUnit.SECONDS).getUp()).isTrue();
    } finally {
      store.close();
    }
  }

  private static CheckResult lifecycleCheck(CheckResult result) {
    return result.getChecks().stream().filter(c -> "lifecycle".equals(c.getId())).findFirst().orElseThrow();
  }

  @Test
  void everyConfiguredProjectRefusedHoldsReadinessDown() {
    Status status = GatewayHealth.indicativeStatus(List.of(refused("a…", true), refused("b…", true)));
    assertThat(status.isOk()).isFalse();
  }

  @Test
  void oneConfiguredProjectThatCanFlowKeepsReadinessUp() {
    assertThat(GatewayHealth.indicativeStatus(List.of(refused("a…", true), flowing("b…"))).isOk()).isTrue();
    // configured but nothing sent yet: nothing says its key is refused
    assertThat(GatewayHealth.indicativeStatus(List.of(refused("a…", true),
        new ProjectStatus("b…", "IDLE", null, true))).isOk()).isTrue();
  }

  @Test
  void aRefusedProjectNoLongerConfiguredDoesNotHoldReadinessDown() {
    // its stored messages stay (and are reported) but no source sends to it any more
    Status status = GatewayHealth.indicativeStatus(List.of(refused("old…", false),
        new ProjectStatus("new…", "IDLE", null, true)));
    assertThat(status.isOk()).isTrue();
    JsonObject old = status.getData().getJsonArray("projects").getJsonObject(0);
    assertThat(old.getString("problem")).isEqualTo(REFUSED);
    assertThat(old.getBoolean("configured")).isFalse();
  }

  @Test
  void onlyUnconfiguredProjectsLeftDoNotHoldReadinessDown() {
    assertThat(GatewayHealth.indicativeStatus(List.of(refused("old…", false))).isOk()).isTrue();
    assertThat(GatewayHealth.indicativeStatus(List.of()).isOk()).isTrue();
  }
}
