package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Paths reach log lines only through {@link IngestHttpVerticle#loggablePath}: never with a write key in them. */
class LoggablePathTest {

  @Test
  void theWriteKeyOfASettingsPathIsLeftOut() {
    assertThat(IngestHttpVerticle.loggablePath("/v1/projects/wk-browser-secret-0001/settings"))
        .isEqualTo("/v1/projects/{writeKey}/settings");
  }

  @Test
  void otherPathsAreKeptAndLongOnesCut() {
    assertThat(IngestHttpVerticle.loggablePath("/v1/batch")).isEqualTo("/v1/batch");
    assertThat(IngestHttpVerticle.loggablePath("/" + "x".repeat(500))).hasSizeLessThan(110);
  }
}
