package io.indicativegateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of the readiness checks, without a running gateway. */
class GatewayHealthTest {

  private static final String REFUSED = "Indicative answers HTTP 401 to this project key";

  private static ProjectStatus flowing(String project) {
    return new ProjectStatus(project, "CLOSED", null, true);
  }

  private static ProjectStatus refused(String project, boolean configured) {
    return new ProjectStatus(project, "OPEN", REFUSED, configured);
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
