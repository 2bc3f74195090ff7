package io.indicativegateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

  private static final Path CONF = Path.of("conf", "gateway.yaml");

  @Test
  void withoutSourcesItRunsInLocalModeAgainstTheSimulatorWhateverTheUrlSays() {
    GatewayConfig config = GatewayConfig.from(new JsonObject(), Map.of("INDICATIVE_URL", "https://example.com"));
    assertThat(config.devMode()).isTrue();
    assertThat(config.sources()).extracting(Source::writeKey).containsExactly(GatewayConfig.DEV_WRITE_KEY);
    assertThat(config.delivery().indicativeUrl()).isEqualTo("http://127.0.0.1:8089/service");
  }

  @Test
  void oneProjectMayHoldThreeQuartersOfTheInFlightRequestsUnlessConfiguredAndNeverMoreThanAll() {
    assertThat(GatewayConfig.from(new JsonObject(), Map.of()).delivery().maxInFlightPerProject()).isEqualTo(24);
    assertThat(GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_DELIVERY_MAX_IN_FLIGHT", "1"))
        .delivery().maxInFlightPerProject()).isEqualTo(1);
    assertThat(GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_DELIVERY_MAX_IN_FLIGHT_PER_PROJECT", "10"))
        .delivery().maxInFlightPerProject()).isEqualTo(10);
    assertThat(GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_DELIVERY_MAX_IN_FLIGHT", "8",
        "GATEWAY_DELIVERY_MAX_IN_FLIGHT_PER_PROJECT", "100")).delivery().maxInFlightPerProject()).isEqualTo(8);
  }

  @Test
  void theRequiredEnvironmentVariablesOverrideTheFile() {
    JsonObject file = new JsonObject("{\"http\":{\"port\":9000},\"store\":{\"dataDir\":\"/from/file\"}}");
    GatewayConfig config = GatewayConfig.from(file, Map.of(
        "GATEWAY_PORT", "8181",
        "GATEWAY_DATA_DIR", "/tmp/gw-data",
        "INDICATIVE_URL", "http://127.0.0.1:9999/service/",
        "GATEWAY_SOURCES", "wk1=key1, wk2=key2"));
    assertThat(config.ingest().http().port()).isEqualTo(8181);
    assertThat(config.store().dataDir()).isEqualTo(Path.of("/tmp/gw-data"));
    assertThat(config.delivery().indicativeUrl()).isEqualTo("http://127.0.0.1:9999/service");
    assertThat(config.devMode()).isFalse();
    assertThat(config.sources()).extracting(Source::writeKey, Source::projectKey)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("wk1", "key1"),
            org.assertj.core.groups.Tuple.tuple("wk2", "key2"));
  }

  @Test
  void sourcesFromTheFileWithDisabledOnes() {
    JsonObject file = new JsonObject("""
        {"sources":[{"name":"web","writeKey":"w1","projectKey":"p1"},
                    {"writeKey":"w2","projectKey":"p2","enabled":false}]}""");
    List<Source> sources = GatewayConfig.from(file, Map.of()).sources();
    assertThat(sources).extracting(Source::name).containsExactly("web", "source-2");
    assertThat(sources).extracting(Source::enabled).containsExactly(true, false);
  }

  @Test
  void twoSourcesMayNotShareAName() {
    JsonObject file = new JsonObject("""
        {"sources":[{"name":"web","writeKey":"w1","projectKey":"p1"},
                    {"name":"web","writeKey":"w2","projectKey":"p2"},
                    {"name":"source-4","writeKey":"w3","projectKey":"p3"},
                    {"writeKey":"w4","projectKey":"p4"}]}""");
    assertThatThrownBy(() -> GatewayConfig.from(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "source name web is used by more than one source",
            "source name source-4 is used by more than one source"));
  }

  @Test
  void badValuesStopStartUpNamingEveryProblem() {
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_PORT", "eighty");
    env.put("INDICATIVE_URL", "ftp://nope");
    env.put("GATEWAY_SOURCES", "wk1=key1,broken,wk1=key3");
    env.put("GATEWAY_DELIVERY_MAX_EVENTS_PER_BATCH", "500");
    assertThatThrownBy(() -> GatewayConfig.from(new JsonObject(), env))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "GATEWAY_PORT must be a whole number, got 'eighty'",
            "INDICATIVE_URL / indicative.url must be an http(s) URL with a host, got 'ftp://nope'",
            "GATEWAY_SOURCES entry 2 must look like writeKey=indicativeApiKey",
            "write key of source-3 is configured twice",
            "GATEWAY_DELIVERY_MAX_EVENTS_PER_BATCH must be between 1 and 100, got 500"));
  }

  @Test
  void trustedProxiesAndThePublicUrlAreCheckedAtStartUp() {
    GatewayConfig fine = GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_TRUSTED_PROXIES",
        "10.0.0.0/8, 192.0.2.7,fd00::/8", "GATEWAY_PUBLIC_URL", "https://events.example.com/segment"));
    assertThat(fine.ingest().http().trustedProxies()).containsExactly("10.0.0.0/8", "192.0.2.7", "fd00::/8");
    assertThat(fine.ingest().http().publicUrl()).isEqualTo("https://events.example.com/segment");
    assertThat(GatewayConfig.from(new JsonObject(), Map.of()).ingest().http().publicUrl()).isNull();
    assertThatThrownBy(() -> GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_TRUSTED_PROXIES",
        "10.0.0.1,ingress.internal,10.0.0.0/40", "GATEWAY_PUBLIC_URL", "events.example.com")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
            .anySatisfy(p -> assertThat(p).contains("'ingress.internal'"))
            .anySatisfy(p -> assertThat(p).contains("'10.0.0.0/40'"))
            .anySatisfy(p -> assertThat(p).startsWith("GATEWAY_PUBLIC_URL / http.publicUrl must start with")));
  }

  @Test
  void anEmptySourcesVariableIsAMistakeNotLocalMode() {
    assertThatThrownBy(() -> GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_SOURCES", " ")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("GATEWAY_SOURCES is set but empty; give writeKey=indicativeApiKey pairs, or leave "
                + "it unset for local mode"));
  }

  @Test
  void aSourcesFileWithoutSourcesIsAMistakeNotLocalMode(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sources"), "# no source yet\n\n");
    assertThatThrownBy(() -> GatewayConfig.from(new JsonObject(), Map.of("GATEWAY_SOURCES_FILE", file.toString())))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("the sources file " + file + " names no source; give writeKey=indicativeApiKey lines"));
  }

  @Test
  void aNamedConfigFileThatIsMissingIsAnError() {
    assertThatThrownBy(() -> GatewayConfig.load(Map.of("GATEWAY_CONFIG", "/no/such/file.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/no/such/file.yaml");
  }

  @Test
  void theShippedFileParsesAndStatesTheDefaults() {
    JsonObject shipped = GatewayConfig.readYaml(CONF);
    GatewayConfig fromFile = GatewayConfig.from(shipped, Map.of());
    GatewayConfig defaults = GatewayConfig.from(new JsonObject(), Map.of());
    assertThat(fromFile).isEqualTo(defaults);
    assertThat(defaults.store().dedupWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(defaults.delivery().maxRetryAge()).isEqualTo(Duration.ofHours(72));
    assertThat(defaults.ingest().limits().maxBatchBytes()).isEqualTo(500 * 1024);
  }

  @Test
  void everyEnvironmentVariableTheCodeReadsIsDocumentedInTheShippedFile() throws Exception {
    String source = Files.readString(Path.of("src/main/java/io/indicativegateway/config/GatewayConfig.java"));
    String documented = Files.readString(CONF);
    Matcher m = Pattern.compile("\"(GATEWAY_[A-Z_]+|INDICATIVE_URL)\"").matcher(source);
    int found = 0;
    while (m.find()) {
      found++;
      if (!m.group(1).equals("GATEWAY_CONFIG")) {
        assertThat(documented).as(m.group(1)).contains(m.group(1));
      }
    }
    assertThat(found).isGreaterThan(30);
  }

  @Test
  void everyEnvironmentVariableIsInTheReadmeTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    StringBuilder code = new StringBuilder();
    try (var files = Files.walk(Path.of("src/main/java/io/indicativegateway"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        code.append(Files.readString(file));
      }
    }
    Matcher m = Pattern.compile("\"((?:GATEWAY|INDICATIVE)_[A-Z_]+)\"").matcher(code);
    int found = 0;
    while (m.find()) {
      found++;
      assertThat(readme).as(m.group(1) + " in the README's table").contains("| `" + m.group(1) + "` |");
    }
    assertThat(found).isGreaterThan(50);
  }
}
