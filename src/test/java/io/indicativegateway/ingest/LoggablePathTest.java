package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Paths reach log lines only through {@link IngestHttpVerticle#loggablePath}: the write key in them masked. */
class LoggablePathTest {

  @Test
  void theWriteKeyOfASettingsPathIsMasked() {
    String logged = IngestHttpVerticle.loggablePath("/v1/projects/wk-browser-secret-0001/settings");
    assertThat(logged).doesNotContain("wk-browser-secret-0001")
        .startsWith("/v1/projects/wk-b…").endsWith("/settings");
  }

  @Test
  void otherPathsAreKeptAndLongOnesCut() {
    assertThat(IngestHttpVerticle.loggablePath("/v1/batch")).isEqualTo("/v1/batch");
    assertThat(IngestHttpVerticle.loggablePath("/" + "x".repeat(500))).hasSizeLessThan(110);
  }
}
