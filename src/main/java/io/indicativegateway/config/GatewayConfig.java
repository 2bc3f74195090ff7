package io.indicativegateway.config;

import io.indicativegateway.json.ExactJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The whole configuration: the YAML file in {@code conf/} overridden by environment variables, validated once at
 * start-up so that a bad value stops the gateway with a message that names it.
 *
 * <p>Every key, its environment variable and its default are documented in {@code conf/gateway.yaml} and the
 * README; {@code GatewayConfigTest} checks that the two agree with this class.
 */
public record GatewayConfig(
    IngestSettings ingest,
    StoreSettings store,
    DeliverySettings delivery,
    TranslationConfig translation,
    AdminSettings admin,
    ClusterSettings cluster,
    List<Source> sources,
    SourcesOrigin sourcesOrigin,
    long scanPeriodMs,
    Path configFile,
    boolean devMode,
    int simulatorPort) {

  public static final String DEFAULT_INDICATIVE_URL = "https://api.indicative.com/service";
  /** Source used when no source is configured: events go to the local simulator. */
  public static final String DEV_WRITE_KEY = "dev-write-key";
  public static final String DEV_PROJECT_KEY = "dev-project-key";

  /** Reads the file named by {@code GATEWAY_CONFIG}, else {@code conf/gateway.yaml} if present, else defaults. */
  public static GatewayConfig load(Map<String, String> env) {
    String named = env.get("GATEWAY_CONFIG");
    Path file = named != null && !named.isBlank() ? Path.of(named) : Path.of("conf", "gateway.yaml");
    if (named != null && !named.isBlank() && !Files.isRegularFile(file)) {
      throw new ConfigException(List.of("GATEWAY_CONFIG names " + file + ", which is not a readable file"));
    }
    boolean exists = Files.isRegularFile(file);
    GatewayConfig config = from(exists ? readYaml(file) : new JsonObject(), env);
    return exists ? config.withConfigFile(file) : config;
  }

  /** The same configuration, remembering the file it was read from (watched for source changes). */
  public GatewayConfig withConfigFile(Path file) {
    return new GatewayConfig(ingest, store, delivery, translation, admin, cluster, sources, sourcesOrigin,
        scanPeriodMs, file, devMode, simulatorPort);
  }

  public static JsonObject readYaml(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      if (loaded == null) {
        return new JsonObject();
      }
      if (!(loaded instanceof Map<?, ?> map)) {
        throw new ConfigException(List.of(file + " must hold a YAML mapping at the top level"));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> top = (Map<String, Object>) map;
      return new JsonObject(top);
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read " + file + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      if (e instanceof ConfigException) {
        throw e;
      }
      throw new ConfigException(List.of(file + " is not valid YAML: " + e.getMessage()));
    }
  }

  public static GatewayConfig from(JsonObject file, Map<String, String> env) {
    ConfigReader in = new ConfigReader(file, env);
    int cores = Runtime.getRuntime().availableProcessors();

    String tlsCert = in.string("http.tls.certPath", "GATEWAY_TLS_CERT", null);
    String tlsKey = in.string("http.tls.keyPath", "GATEWAY_TLS_KEY", null);
    if ((tlsCert == null) != (tlsKey == null)) {
      in.problem("TLS needs both GATEWAY_TLS_CERT / http.tls.certPath and GATEWAY_TLS_KEY / http.tls.keyPath");
    }
    for (String pem : new String[] {tlsCert, tlsKey}) {
      if (pem != null && !Files.isReadable(Path.of(pem))) {
        in.problem("the TLS file " + pem + " is not readable");
      }
    }
    HttpSettings http = new HttpSettings(
        in.string("http.host", "GATEWAY_HOST", "0.0.0.0"),
        in.integer("http.port", "GATEWAY_PORT", 8080, 0, 65535),
        orCores(in.integer("http.instances", "GATEWAY_HTTP_INSTANCES", 0, 0, 256), cores),
        in.integer("http.idleTimeoutSeconds", "GATEWAY_HTTP_IDLE_TIMEOUT_SECONDS", 15, 1, 3600),
        in.integer("http.maxHeaderBytes", "GATEWAY_HTTP_MAX_HEADER_BYTES", 16 * 1024, 1024, 1 << 20),
        in.integer("http.requestTimeoutSeconds", "GATEWAY_HTTP_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600),
        in.integer("http.maxConnections", "GATEWAY_HTTP_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
        list(in.string("http.corsAllowedOrigins", "GATEWAY_CORS_ORIGINS", "*")),
        tlsCert,
        tlsKey,
        list(in.string("http.trustedProxies", "GATEWAY_TRUSTED_PROXIES", "")),
        in.string("http.publicUrl", "GATEWAY_PUBLIC_URL", null));
    io.indicativegateway.ingest.ClientAddress.problems(http.trustedProxies()).forEach(in::problem);
    String publicUrlProblem = http.publicUrl() == null ? null
        : io.indicativegateway.ingest.BrowserSettings.problem(http.publicUrl());
    if (publicUrlProblem != null) {
      in.problem("GATEWAY_PUBLIC_URL / http.publicUrl " + publicUrlProblem + ", got '" + http.publicUrl() + "'");
    }
    int rate = in.integer("limits.rateLimitPerSecond", "GATEWAY_RATE_LIMIT_PER_SECOND", 0, 0, 10_000_000);
    int burst = in.integer("limits.rateLimitBurst", "GATEWAY_RATE_LIMIT_BURST", 0, 0, 100_000_000);
    LimitSettings limits = new LimitSettings(
        in.integer("limits.maxMessageBytes", "GATEWAY_MAX_MESSAGE_BYTES", 32 * 1024, 1024, 16 << 20),
        in.integer("limits.maxBatchBytes", "GATEWAY_MAX_BATCH_BYTES", 500 * 1024, 1024, 64 << 20),
        in.integer("limits.maxBatchMessages", "GATEWAY_MAX_BATCH_MESSAGES", 2500, 1, 100_000),
        in.integer("limits.maxJsonDepth", "GATEWAY_MAX_JSON_DEPTH", 100, 4, ExactJson.MAX_CONFIGURABLE_DEPTH),
        in.integer("limits.maxPropertiesPerMessage", "GATEWAY_MAX_PROPERTIES", 10_000, 10, 10_000_000),
        in.integer("limits.maxKeyLength", "GATEWAY_MAX_KEY_LENGTH", 1024, 16, 1 << 20),
        in.integer("limits.maxValueLength", "GATEWAY_MAX_VALUE_LENGTH", 32 * 1024, 255, 64 << 20),
        rate,
        burst == 0 ? rate : burst);
    if (limits.maxMessageBytes() > limits.maxBatchBytes()) {
      in.problem("limits.maxMessageBytes (" + limits.maxMessageBytes() + ") must not exceed limits.maxBatchBytes ("
          + limits.maxBatchBytes() + ")");
    }
    IngestSettings ingest = new IngestSettings(http, limits,
        in.string("eventBus.ingestAddress", "GATEWAY_EVENTBUS_ADDRESS", "indicative.ingest"),
        in.number("eventBus.replyTimeoutMs", "GATEWAY_EVENTBUS_REPLY_TIMEOUT_MS", 10_000, 100, 600_000));

    String dataDir = in.string("store.dataDir", "GATEWAY_DATA_DIR", "data");
    StoreSettings store = new StoreSettings(
        Path.of(dataDir),
        in.number("store.maxBytes", "GATEWAY_STORE_MAX_BYTES", 1L << 30, 1L << 20, Long.MAX_VALUE),
        in.number("store.maxRejectedBytes", "GATEWAY_STORE_MAX_REJECTED_BYTES", 64L << 20, 1L << 20,
            Long.MAX_VALUE),
        in.integer("store.writeQueueCapacity", "GATEWAY_STORE_WRITE_QUEUE", 4096, 1, 1_000_000),
        in.number("store.maxGroupBytes", "GATEWAY_STORE_MAX_GROUP_BYTES", 8L << 20, 64 * 1024, 1L << 30),
        in.integer("store.retryAfterSeconds", "GATEWAY_RETRY_AFTER_SECONDS", 5, 1, 3600),
        Duration.ofMinutes(in.number("store.dedupWindowMinutes", "GATEWAY_DEDUP_WINDOW_MINUTES", 24 * 60, 0,
            366L * 24 * 60)));

    List<Source> sources = readSources(in);
    boolean devMode = sources.isEmpty();
    SourcesOrigin sourcesOrigin = in.envValue("GATEWAY_SOURCES") != null ? SourcesOrigin.environment()
        : sourcesFile(in) != null ? SourcesOrigin.file(sourcesFile(in)) : SourcesOrigin.configFile();
    long scanPeriodMs = in.number("config.scanPeriodMs", "GATEWAY_CONFIG_SCAN_MS", 5000, 100, 3_600_000);
    int simulatorPort = in.integer("simulator.port", "GATEWAY_SIMULATOR_PORT", 8089, 0, 65535);
    String url = in.string("indicative.url", "INDICATIVE_URL", DEFAULT_INDICATIVE_URL);
    checkUrl(in, url);
    if (devMode) {
      sources = List.of(new Source("dev", DEV_WRITE_KEY, DEV_PROJECT_KEY, true));
      // With no Indicative keys nothing may leave the machine: always the simulator, whatever the URL says.
      url = "http://127.0.0.1:" + simulatorPort + "/service";
    }

    int maxInFlight = in.integer("delivery.maxInFlightRequests", "GATEWAY_DELIVERY_MAX_IN_FLIGHT", 32, 1, 1024);
    // 0: three quarters of the shared cap, so other projects always keep a quarter when one project hangs
    int maxInFlightPerProject = in.integer("delivery.maxInFlightPerProject",
        "GATEWAY_DELIVERY_MAX_IN_FLIGHT_PER_PROJECT", 0, 0, 1024);
    maxInFlightPerProject = maxInFlightPerProject == 0 ? Math.max(1, maxInFlight - maxInFlight / 4)
        : Math.min(maxInFlightPerProject, maxInFlight);
    long requestTimeout = in.number("delivery.requestTimeoutMs", "GATEWAY_DELIVERY_REQUEST_TIMEOUT_MS", 10_000, 100,
        600_000);
    DeliverySettings delivery = new DeliverySettings(
        stripTrailingSlash(url),
        in.integer("delivery.maxEventsPerBatch", "GATEWAY_DELIVERY_MAX_EVENTS_PER_BATCH", 100, 1, 100),
        in.integer("delivery.maxBatchBytes", "GATEWAY_DELIVERY_MAX_BATCH_BYTES", 1_000_000, 4096, 1_000_000),
        in.number("delivery.lingerMs", "GATEWAY_DELIVERY_LINGER_MS", 100, 0, 60_000),
        maxInFlight,
        maxInFlightPerProject,
        in.integer("delivery.connectionPoolSize", "GATEWAY_DELIVERY_POOL_SIZE", 32, 1, 1024),
        requestTimeout,
        in.number("delivery.connectTimeoutMs", "GATEWAY_DELIVERY_CONNECT_TIMEOUT_MS", 5_000, 100, 600_000),
        in.number("delivery.retryBaseMs", "GATEWAY_DELIVERY_RETRY_BASE_MS", 500, 1, 3_600_000),
        in.number("delivery.retryCapMs", "GATEWAY_DELIVERY_RETRY_CAP_MS", 60_000, 1, 86_400_000),
        Duration.ofMinutes(in.number("delivery.maxRetryAgeMinutes", "GATEWAY_DELIVERY_MAX_RETRY_AGE_MINUTES", 72 * 60,
            1, 365L * 24 * 60)),
        in.integer("delivery.breakerMaxFailures", "GATEWAY_BREAKER_MAX_FAILURES", 5, 1, 10_000),
        in.number("delivery.breakerResetTimeoutMs", "GATEWAY_BREAKER_RESET_TIMEOUT_MS", 10_000, 10, 3_600_000),
        in.integer("delivery.chunkMaxRecords", "GATEWAY_DELIVERY_CHUNK_MAX_RECORDS", 1000, 1, 100_000),
        in.integer("delivery.chunkMaxBytes", "GATEWAY_DELIVERY_CHUNK_MAX_BYTES", 2 << 20, 64 * 1024, 256 << 20),
        in.integer("delivery.maxChunksPerProject", "GATEWAY_DELIVERY_MAX_CHUNKS_PER_PROJECT", 4, 1, 64),
        in.number("delivery.maxBufferedBytes", "GATEWAY_DELIVERY_MAX_BUFFERED_BYTES", 64L << 20, 1L << 20,
            16L << 30),
        in.number("delivery.shutdownGraceMs", "GATEWAY_SHUTDOWN_GRACE_MS", 10_000, 0, 600_000));
    if (delivery.retryCapMs() < delivery.retryBaseMs()) {
      in.problem("delivery.retryCapMs must be at least delivery.retryBaseMs");
    }

    TranslationConfig translation = new TranslationConfig(
        in.integer("translation.maxStringLength", "GATEWAY_MAX_STRING_LENGTH", 255, 1, 65_536),
        in.string("translation.trackName", "GATEWAY_TRACK_NAME", "{event}"),
        in.string("translation.pageName", "GATEWAY_PAGE_NAME", "Page View {name}"),
        in.string("translation.pageUnnamed", "GATEWAY_PAGE_UNNAMED", "Page View"),
        in.string("translation.screenName", "GATEWAY_SCREEN_NAME", "Screen View {name}"),
        in.string("translation.screenUnnamed", "GATEWAY_SCREEN_UNNAMED", "Screen View"),
        in.integer("translation.userAgentCacheSize", "GATEWAY_USER_AGENT_CACHE_SIZE", 10_000, 0, 10_000_000),
        orCores(in.integer("translation.instances", "GATEWAY_TRANSLATION_INSTANCES", 0, 0, 64), cores));

    String token = in.string("admin.token", "GATEWAY_ADMIN_TOKEN", null);
    if (token != null && token.length() < 16) {
      in.problem("GATEWAY_ADMIN_TOKEN / admin.token must be at least 16 characters");
    }
    AdminSettings admin = new AdminSettings(
        in.string("admin.host", "GATEWAY_ADMIN_HOST", "127.0.0.1"),
        in.integer("admin.port", "GATEWAY_ADMIN_PORT", 8081, 0, 65535),
        token == null || token.isBlank() ? null : token);

    String members = in.string("cluster.members", "GATEWAY_CLUSTER_MEMBERS", "");
    ClusterSettings cluster = new ClusterSettings(
        in.bool("cluster.enabled", "GATEWAY_CLUSTER_ENABLED", false),
        in.string("cluster.host", "GATEWAY_CLUSTER_HOST", "127.0.0.1"),
        in.integer("cluster.port", "GATEWAY_CLUSTER_PORT", 5701, 1, 65535),
        in.integer("eventBus.port", "GATEWAY_EVENTBUS_PORT", 0, 0, 65535),
        members.isBlank() ? List.of() : java.util.Arrays.stream(members.split(","))
            .map(String::trim).filter(m -> !m.isEmpty()).toList(),
        in.string("cluster.dns", "GATEWAY_CLUSTER_DNS", ""),
        in.bool("eventBus.bridge.enabled", "GATEWAY_BRIDGE_ENABLED", false),
        in.string("eventBus.bridge.host", "GATEWAY_BRIDGE_HOST", "0.0.0.0"),
        in.integer("eventBus.bridge.port", "GATEWAY_BRIDGE_PORT", 7000, 0, 65535));

    if (!in.problems().isEmpty()) {
      throw new ConfigException(in.problems());
    }
    return new GatewayConfig(ingest, store, delivery, translation, admin, cluster, sources, sourcesOrigin,
        scanPeriodMs, null, devMode, simulatorPort);
  }

  /**
   * Sources from {@code GATEWAY_SOURCES} ("writeKey=projectKey,...") if set, else from the file named by
   * {@code GATEWAY_SOURCES_FILE} / {@code sourcesFile}, else the config file's {@code sources} list.
   */
  static List<Source> readSources(ConfigReader in) {
    if (in.envSetButBlank("GATEWAY_SOURCES")) {
      // a deployment that sets the variable means to deliver: an empty value is a mistake, not local mode
      in.problem("GATEWAY_SOURCES is set but empty; give writeKey=indicativeApiKey pairs, or leave it unset "
          + "for local mode");
      return List.of();
    }
    String fromEnv = in.envValue("GATEWAY_SOURCES");
    if (fromEnv != null) {
      return List.copyOf(SourcesParser.fromText(fromEnv, "GATEWAY_SOURCES", in.problemList()));
    }
    Path file = sourcesFile(in);
    if (file != null) {
      try {
        List<Source> sources = SourcesParser.fromText(Files.readString(file, StandardCharsets.UTF_8),
            "sources file " + file, in.problemList());
        if (sources.isEmpty()) {
          // naming a sources file means to deliver, as with GATEWAY_SOURCES: an empty one is a mistake
          in.problem("the sources file " + file + " names no source; give writeKey=indicativeApiKey lines");
        }
        return List.copyOf(sources);
      } catch (IOException e) {
        in.problem("the sources file " + file + " cannot be read: " + e.getMessage());
        return List.of();
      }
    }
    Object list = in.fileValue("sources");
    return List.copyOf(SourcesParser.fromYaml(list, in.problemList()));
  }

  /** The sources file, when sources come from one (and GATEWAY_SOURCES does not override it). */
  static Path sourcesFile(ConfigReader in) {
    String named = in.string("sourcesFile", "GATEWAY_SOURCES_FILE", null);
    return named == null || named.isBlank() ? null : Path.of(named);
  }

  private static void checkUrl(ConfigReader in, String url) {
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        in.problem("INDICATIVE_URL / indicative.url must be an http(s) URL with a host, got '" + url + "'");
      }
    } catch (Exception e) {
      in.problem("INDICATIVE_URL / indicative.url is not a URL: '" + url + "'");
    }
  }

  /** A comma-separated list, trimmed, without empty entries. */
  private static List<String> list(String text) {
    return text == null || text.isBlank() ? List.of()
        : java.util.Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
  }

  /** 0 means "one per CPU core". */
  private static int orCores(int configured, int cores) {
    return configured == 0 ? cores : configured;
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
