package io.indicativegateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.config.ConfigException;
import io.indicativegateway.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code k8s/} and the Grafana dashboard beside them stay consistent with each
 * other, with the gateway's routes and with its configuration (read through {@link GatewayConfig}, the same code
 * the gateway starts with).
 *
 * <p>Each check returns the problems it finds. The plain tests require none on the files as they are; the
 * "broken" tests apply one realistic mistake to a fresh copy and require the matching check to report it, so a
 * check cannot quietly stop looking.
 */
class K8sManifestsTest {

  private static final Path K8S = Path.of("k8s");
  private static final Path CONF = Path.of("conf", "gateway.yaml");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path DASHBOARD = K8S.resolve("grafana-dashboard.json");

  private static final Set<String> KINDS = Set.of(
      "apps/v1 StatefulSet", "v1 Service", "v1 ConfigMap", "v1 Secret",
      "autoscaling/v2 HorizontalPodAutoscaler", "policy/v1 PodDisruptionBudget");

  /** The gateway's health routes (IngestHttpVerticle). */
  private static final String READY_PATH = "/health/ready";
  private static final String LIVE_PATH = "/health/live";

  /** Beyond the preStop pause and the gateway's shutdown grace: closing the store, leaving the cluster. */
  private static final int MIN_TERMINATION_MARGIN_SECONDS = 10;

  private static final Set<String> METRIC_PREFIXES = Set.of("gateway_", "vertx_", "jvm_", "process_");

  /** Series the dashboard must show (the gateway's own, Vert.x HTTP server, JVM). */
  private static final List<String> DASHBOARD_SERIES = List.of(
      "gateway_messages_received_total", "gateway_messages_accepted_total", "gateway_messages_rejected_total",
      "gateway_messages_filtered_total", "gateway_messages_duplicates_total", "gateway_delivery_delivered_total",
      "gateway_delivery_retries_total", "gateway_messages_deadlettered_total",
      "gateway_delivery_latency_seconds_bucket", "gateway_delivery_batch_size_bucket", "gateway_store_bytes",
      "gateway_store_max_bytes", "gateway_store_undelivered_messages",
      "gateway_store_oldest_undelivered_age_seconds", "gateway_store_writable", "gateway_delivery_circuit_state",
      "vertx_http_server_requests_total", "vertx_http_server_response_time_seconds_bucket",
      "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum");

  /** What the downward API would give, for resolving the container's environment. */
  private static final Map<String, String> FIELD_SAMPLES = Map.of(
      "metadata.namespace", "default", "metadata.name", "indicative-gateway-0", "status.podIP", "10.1.2.3",
      "spec.nodeName", "node-1", "status.hostIP", "10.0.0.1");

  private static final Pattern ENV_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  // ------------------------------------------------------------------------------------------------ the tests

  @Test
  void everyDocumentIsAKnownKindWithAName() {
    assertThat(Manifests.load().docs).as("YAML documents under k8s/").hasSizeGreaterThanOrEqualTo(7);
    assertThat(kinds(Manifests.load())).isEmpty();
  }

  @Test
  void everyRequiredObjectIsThere() {
    assertThat(requiredKinds(Manifests.load())).isEmpty();
  }

  @Test
  void selectorsMatchThePodTemplate() {
    assertThat(selectors(Manifests.load())).isEmpty();
  }

  @Test
  void theAutoscalerTargetsTheStatefulSetAndScalesDownGently() {
    assertThat(autoscaling(Manifests.load())).isEmpty();
  }

  @Test
  void theStatefulSetIsGovernedByTheHeadlessServiceAndKeepsItsVolumes() {
    assertThat(statefulSet(Manifests.load())).isEmpty();
  }

  @Test
  void probesUseTheGatewaysHealthRoutesOnADeclaredPort() {
    assertThat(probes(Manifests.load())).isEmpty();
  }

  @Test
  void serviceTargetPortsAreContainerPorts() {
    assertThat(servicePorts(Manifests.load())).isEmpty();
  }

  @Test
  void theGatewayAcceptsThisConfigurationAndListensWhereTheManifestsSay() {
    assertThat(configuration(Manifests.load())).isEmpty();
  }

  @Test
  void terminationLeavesTimeForPreStopAndTheShutdownGrace() {
    assertThat(termination(Manifests.load())).isEmpty();
  }

  @Test
  void environmentVariablesAreDocumentedAndResolvable() {
    assertThat(environment(Manifests.load())).isEmpty();
  }

  @Test
  void theSourcesComeFromASecretFileThatIsReloaded() {
    assertThat(sourcesReload(Manifests.load())).isEmpty();
  }

  @Test
  void volumeMountsReferToDeclaredVolumes() {
    assertThat(volumes(Manifests.load())).isEmpty();
  }

  @Test
  void theDashboardParsesAndQueriesOnlyTheGatewaysSeries() {
    assertThat(dashboard(Manifests.load())).isEmpty();
  }

  /** One realistic mistake each; the named check must report it. */
  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("a Deployment instead of the StatefulSet", K8sManifestsTest::kinds, "kind",
            m -> m.one("StatefulSet").put("kind", "Deployment")),
        mistake("a document without a name", K8sManifestsTest::kinds, "metadata.name",
            m -> map(m.one("ConfigMap"), "metadata").remove("name")),
        mistake("the PodDisruptionBudget left out", K8sManifestsTest::requiredKinds, "PodDisruptionBudget",
            m -> m.docs.removeIf(d -> "PodDisruptionBudget".equals(d.body.get("kind")))),
        mistake("the cluster Service not headless", K8sManifestsTest::requiredKinds, "headless",
            m -> map(m.headless(), "spec").remove("clusterIP")),
        mistake("a StatefulSet selector the pods do not carry", K8sManifestsTest::selectors, "StatefulSet",
            m -> map(m.one("StatefulSet"), "spec", "selector", "matchLabels").put("app.kubernetes.io/name", "gw")),
        mistake("a Service selecting other pods", K8sManifestsTest::selectors, "Service indicative-gateway",
            m -> map(m.service(), "spec", "selector").put("app.kubernetes.io/component", "web")),
        mistake("a PodDisruptionBudget selecting other pods", K8sManifestsTest::selectors, "PodDisruptionBudget",
            m -> map(m.one("PodDisruptionBudget"), "spec", "selector", "matchLabels").put("tier", "x")),
        mistake("the autoscaler aimed at a Deployment", K8sManifestsTest::autoscaling, "scaleTargetRef",
            m -> map(m.one("HorizontalPodAutoscaler"), "spec", "scaleTargetRef").put("kind", "Deployment")),
        mistake("the autoscaler dropping 50% of the pods at once", K8sManifestsTest::autoscaling, "scale-down",
            m -> list(m.one("HorizontalPodAutoscaler"), "spec", "behavior", "scaleDown", "policies")
                .add(new LinkedHashMap<>(Map.of("type", "Percent", "value", 50, "periodSeconds", 60)))),
        mistake("replicas fixed in the StatefulSet", K8sManifestsTest::autoscaling, "replicas",
            m -> map(m.one("StatefulSet"), "spec").put("replicas", 3)),
        mistake("serviceName naming the load-balanced Service", K8sManifestsTest::statefulSet, "serviceName",
            m -> map(m.one("StatefulSet"), "spec").put("serviceName", "indicative-gateway")),
        mistake("volumes deleted on scale-down", K8sManifestsTest::statefulSet, "whenScaled",
            m -> map(m.one("StatefulSet"), "spec", "persistentVolumeClaimRetentionPolicy")
                .put("whenScaled", "Delete")),
        mistake("a readiness path the gateway does not serve", K8sManifestsTest::probes, READY_PATH,
            m -> map(m.container(), "readinessProbe", "httpGet").put("path", "/healthz")),
        mistake("liveness on the readiness route", K8sManifestsTest::probes, LIVE_PATH,
            m -> map(m.container(), "livenessProbe", "httpGet").put("path", READY_PATH)),
        mistake("the startup probe on the readiness route", K8sManifestsTest::probes, "startupProbe",
            m -> map(m.container(), "startupProbe", "httpGet").put("path", READY_PATH)),
        mistake("a probe port that is not declared", K8sManifestsTest::probes, "port",
            m -> map(m.container(), "startupProbe", "httpGet").put("port", "web")),
        mistake("a Service targetPort that is not declared", K8sManifestsTest::servicePorts, "targetPort",
            m -> maps(map(m.service(), "spec").get("ports")).get(0).put("targetPort", "htp")),
        mistake("the gateway configured on another port", K8sManifestsTest::configuration, "port",
            m -> m.gatewayYaml(m.gatewayYaml().replace("port: 8080", "port: 9090"))),
        mistake("GATEWAY_PORT overriding the container port", K8sManifestsTest::configuration, "port",
            m -> m.env().add(new LinkedHashMap<>(Map.of("name", "GATEWAY_PORT", "value", "8088")))),
        mistake("a value the gateway refuses at start-up", K8sManifestsTest::configuration, "start",
            m -> m.gatewayYaml(m.gatewayYaml() + "delivery:\n  maxEventsPerBatch: 500\n")),
        mistake("the store outside the replica's volume", K8sManifestsTest::configuration, "volume",
            m -> m.envVar("GATEWAY_DATA_DIR").put("value", "/tmp/data")),
        mistake("a shutdown grace longer than the pod is given", K8sManifestsTest::termination, "Seconds",
            m -> m.envVar("GATEWAY_SHUTDOWN_GRACE_MS").put("value", "60000")),
        mistake("no preStop pause", K8sManifestsTest::termination, "preStop",
            m -> m.container().remove("lifecycle")),
        mistake("an undocumented GATEWAY_ variable", K8sManifestsTest::environment, "GATEWAY_FLUSH_MS",
            m -> m.env().add(new LinkedHashMap<>(Map.of("name", "GATEWAY_FLUSH_MS", "value", "5")))),
        mistake("$(POD_NAMESPACE) used before it is defined", K8sManifestsTest::environment, "POD_NAMESPACE",
            m -> m.env().removeIf(e -> "POD_NAMESPACE".equals(e.get("name")))),
        mistake("an unquoted number as an env value", K8sManifestsTest::environment, "string",
            m -> m.envVar("GATEWAY_SHUTDOWN_GRACE_MS").put("value", 30000)),
        mistake("a secret key the Secret does not have", K8sManifestsTest::environment, "Secret",
            m -> {
              Map<String, Object> ref = map(m.envVar("GATEWAY_ADMIN_TOKEN"), "valueFrom", "secretKeyRef");
              ref.put("key", "TOKEN");
              ref.remove("optional");
            }),
        mistake("the sources as an environment variable", K8sManifestsTest::sourcesReload, "GATEWAY_SOURCES",
            m -> m.env().add(new LinkedHashMap<>(Map.of("name", "GATEWAY_SOURCES", "valueFrom", new LinkedHashMap<>(
                Map.of("secretKeyRef", new LinkedHashMap<>(Map.of("name", "indicative-gateway-secrets",
                    "key", "GATEWAY_SOURCES")))))))),
        mistake("the sources Secret mounted with subPath", K8sManifestsTest::sourcesReload, "subPath",
            m -> {
              m.volumeMount("sources").put("mountPath", m.envVar("GATEWAY_SOURCES_FILE").get("value"));
              m.volumeMount("sources").put("subPath", "sources");
            }),
        mistake("the sources file outside the Secret's mount", K8sManifestsTest::sourcesReload,
            "GATEWAY_SOURCES_FILE", m -> m.envVar("GATEWAY_SOURCES_FILE").put("value", "/app/sources")),
        mistake("a Secret item the Secret does not have", K8sManifestsTest::volumes, "Secret",
            m -> maps(map(m.podVolume("sources"), "secret").get("items")).get(0).put("key", "SOURCES")),
        mistake("a mount of an undeclared volume", K8sManifestsTest::volumes, "dta",
            m -> m.volumeMount("data").put("name", "dta")),
        mistake("the ConfigMap mounted where the gateway does not read", K8sManifestsTest::volumes, "gateway.yaml",
            m -> m.volumeMount("config").put("mountPath", "/etc/gateway/gateway.yaml")),
        mistake("a ConfigMap gateway.yaml that is not YAML", K8sManifestsTest::configuration, "YAML",
            m -> m.gatewayYaml("http: [8080\n")),
        mistake("a dashboard that is not JSON", K8sManifestsTest::dashboard, "JSON",
            m -> m.dashboard = m.dashboard.replaceFirst("\\{", "")),
        mistake("a dashboard query on another exporter's series", K8sManifestsTest::dashboard, "node_cpu",
            m -> m.dashboard = m.dashboard.replace("rate(gateway_messages_accepted_total",
                "rate(node_cpu_seconds_total")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachCheckCatchesItsMistake(String mistakeMade, Consumer<Manifests> mistake,
                                  Function<Manifests, List<String>> check, String expected) {
    Manifests broken = Manifests.load();
    assertThat(check.apply(broken)).as("problems before: " + mistakeMade).isEmpty();
    mistake.accept(broken);
    assertThat(check.apply(broken)).as("problems after: " + mistakeMade)
        .anySatisfy(p -> assertThat(p).contains(expected));
  }

  private static Arguments mistake(String what, Function<Manifests, List<String>> check, String expected,
                                   Consumer<Manifests> mistake) {
    return Arguments.of(what, mistake, check, expected);
  }

  // ------------------------------------------------------------------------------------------------ the checks

  static List<String> kinds(Manifests m) {
    List<String> problems = new ArrayList<>(m.loadProblems);
    Set<String> seen = new TreeSet<>();
    for (Doc doc : m.docs) {
      Object apiVersion = doc.body.get("apiVersion");
      Object kind = doc.body.get("kind");
      if (!KINDS.contains(apiVersion + " " + kind)) {
        problems.add(doc + ": apiVersion/kind '" + apiVersion + " " + kind + "' is not one of " + KINDS);
      }
      Object name = doc.body.get("metadata") instanceof Map<?, ?> meta ? meta.get("name") : null;
      if (!(name instanceof String s) || s.isBlank()) {
        problems.add(doc + ": no metadata.name");
      } else if (!seen.add(kind + "/" + name)) {
        problems.add(doc + ": " + kind + " " + name + " is defined twice");
      }
    }
    return problems;
  }

  static List<String> requiredKinds(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (String kind : List.of("StatefulSet", "ConfigMap", "Secret", "HorizontalPodAutoscaler",
        "PodDisruptionBudget")) {
      long count = m.all(kind).size();
      if (count != 1) {
        problems.add("expected one " + kind + ", found " + count);
      }
    }
    List<Map<String, Object>> services = m.all("Service");
    long headless = services.stream().filter(K8sManifestsTest::isHeadless).count();
    if (services.size() != 2 || headless != 1) {
      problems.add("expected two Services, one of them headless (clusterIP: None); found " + services.size()
          + " with " + headless + " headless");
    }
    return problems;
  }

  static List<String> selectors(Manifests m) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> podLabels = map(m.one("StatefulSet"), "spec", "template", "metadata", "labels");
    if (!"indicative-gateway".equals(podLabels.get("app.kubernetes.io/name"))) {
      problems.add("pod template lacks the label app.kubernetes.io/name: indicative-gateway");
    }
    selects(problems, "StatefulSet selector", map(m.one("StatefulSet"), "spec", "selector", "matchLabels"),
        podLabels);
    for (Map<String, Object> service : m.all("Service")) {
      selects(problems, "Service " + name(service) + " selector", map(service, "spec", "selector"), podLabels);
    }
    selects(problems, "PodDisruptionBudget selector",
        map(m.one("PodDisruptionBudget"), "spec", "selector", "matchLabels"), podLabels);
    for (Map<String, Object> spread : maps(m.podSpec().get("topologySpreadConstraints"))) {
      selects(problems, "topologySpreadConstraints selector", map(spread, "labelSelector", "matchLabels"),
          podLabels);
    }
    for (Doc doc : m.docs) {
      Map<String, Object> labels = map(doc.body, "metadata", "labels");
      if (!"indicative-gateway".equals(labels.get("app.kubernetes.io/name"))) {
        problems.add(doc + ": metadata.labels lacks app.kubernetes.io/name: indicative-gateway");
      }
    }
    return problems;
  }

  static List<String> autoscaling(Manifests m) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> hpa = m.one("HorizontalPodAutoscaler");
    Map<String, Object> target = map(hpa, "spec", "scaleTargetRef");
    if (!"apps/v1".equals(target.get("apiVersion")) || !"StatefulSet".equals(target.get("kind"))
        || !name(m.one("StatefulSet")).equals(target.get("name"))) {
      problems.add("HPA scaleTargetRef must be apps/v1 StatefulSet " + name(m.one("StatefulSet")) + ", is "
          + target);
    }
    int min = integer(map(hpa, "spec").get("minReplicas"), 1);
    int max = integer(map(hpa, "spec").get("maxReplicas"), 0);
    if (min < 2 || max < min) {
      problems.add("HPA must keep at least 2 replicas and allow more: minReplicas " + min + ", maxReplicas " + max);
    }
    Map<String, Object> scaleDown = map(hpa, "spec", "behavior", "scaleDown");
    if (integer(scaleDown.get("stabilizationWindowSeconds"), 0) < 300) {
      problems.add("HPA scale-down needs a stabilization window of at least 300 s (each leaving pod drains)");
    }
    List<Map<String, Object>> policies = maps(scaleDown.get("policies"));
    if (policies.isEmpty()) {
      problems.add("HPA scale-down needs a policy (one pod per few minutes)");
    }
    for (Map<String, Object> policy : policies) {
      if (!"Pods".equals(policy.get("type")) || integer(policy.get("value"), 0) != 1
          || integer(policy.get("periodSeconds"), 0) < 60) {
        problems.add("HPA scale-down policy must remove one pod per period of 60 s or more, is " + policy);
      }
    }
    if (map(m.one("StatefulSet"), "spec").containsKey("replicas")) {
      problems.add("StatefulSet sets spec.replicas: every kubectl apply would reset what the HPA decided");
    }
    return problems;
  }

  static List<String> statefulSet(Manifests m) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> spec = map(m.one("StatefulSet"), "spec");
    Map<String, Object> headless = m.headless();
    if (headless == null || !name(headless).equals(spec.get("serviceName"))) {
      problems.add("StatefulSet serviceName '" + spec.get("serviceName") + "' must be the headless Service "
          + (headless == null ? "(none)" : name(headless)));
    }
    if (headless != null && !Boolean.TRUE.equals(map(headless, "spec").get("publishNotReadyAddresses"))) {
      problems.add("headless Service must publish not-ready addresses (starting pods must find each other)");
    }
    Map<String, Object> retention = map(spec, "persistentVolumeClaimRetentionPolicy");
    for (String when : List.of("whenScaled", "whenDeleted")) {
      if (!"Retain".equals(retention.get(when))) {
        problems.add("persistentVolumeClaimRetentionPolicy." + when + " must be Retain, is " + retention.get(when));
      }
    }
    if (!"Parallel".equals(spec.get("podManagementPolicy"))) {
      problems.add("podManagementPolicy must be Parallel");
    }
    Map<String, Object> pdb = map(m.one("PodDisruptionBudget"), "spec");
    if (integer(pdb.get("maxUnavailable"), 0) != 1) {
      problems.add("PodDisruptionBudget maxUnavailable must be 1, is " + pdb.get("maxUnavailable"));
    }
    return problems;
  }

  static List<String> probes(Manifests m) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> container = m.container();
    Set<String> portNames = m.containerPorts().keySet();
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      // Only readiness may follow Indicative's answers and the disk: a startup or liveness probe failing on
      // them would restart a pod that is merely unready, in a loop, and never let it deliver its backlog.
      String expected = probe.equals("readinessProbe") ? READY_PATH : LIVE_PATH;
      Map<String, Object> get = map(container, probe, "httpGet");
      if (!expected.equals(get.get("path"))) {
        problems.add(probe + " path must be " + expected + ", is " + get.get("path"));
      }
      if (!(get.get("port") instanceof String port) || !portNames.contains(port)) {
        problems.add(probe + " port must name a container port " + portNames + ", is " + get.get("port"));
      }
    }
    return problems;
  }

  static List<String> servicePorts(Manifests m) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> ports = m.containerPorts();
    for (Map<String, Object> service : m.all("Service")) {
      List<Map<String, Object>> servicePorts = maps(map(service, "spec").get("ports"));
      if (servicePorts.isEmpty()) {
        problems.add("Service " + name(service) + " has no ports");
      }
      for (Map<String, Object> port : servicePorts) {
        Object target = port.get("targetPort");
        boolean declared = target instanceof String s ? ports.containsKey(s) : ports.containsValue(target);
        if (!declared) {
          problems.add("Service " + name(service) + " targetPort " + target + " is not a container port " + ports);
        }
      }
    }
    Map<String, Object> http = maps(map(m.service(), "spec").get("ports")).stream().findFirst().orElse(Map.of());
    if (!Objects.equals(http.get("port"), 80) || !"http".equals(http.get("targetPort"))) {
      problems.add("Service " + name(m.service()) + " must map port 80 to targetPort http, maps " + http);
    }
    return problems;
  }

  /** The ConfigMap's gateway.yaml plus the container's environment, read the way the gateway reads them. */
  static List<String> configuration(Manifests m) {
    List<String> problems = new ArrayList<>();
    JsonObject file;
    try {
      Object loaded = yaml().load(m.gatewayYaml());
      if (!(loaded instanceof Map<?, ?> tree)) {
        problems.add("ConfigMap gateway.yaml is not a YAML mapping");
        return problems;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> top = (Map<String, Object>) tree;
      file = new JsonObject(top);
    } catch (RuntimeException e) {
      problems.add("ConfigMap gateway.yaml is not valid YAML: " + e.getMessage());
      return problems;
    }
    GatewayConfig config;
    try {
      config = GatewayConfig.from(file, kubeletEnv(m));
    } catch (ConfigException e) {
      problems.add("the gateway would not start with this configuration: " + e.getMessage());
      return problems;
    }
    Integer http = m.containerPorts().get("http");
    if (http == null || http != config.ingest().http().port()) {
      problems.add("container port http (" + http + ") must be the gateway's HTTP port " + config.ingest().http().port());
    }
    String dataDir = config.store().dataDir().toString();
    Set<String> claims = maps(map(m.one("StatefulSet"), "spec").get("volumeClaimTemplates")).stream()
        .map(t -> String.valueOf(map(t, "metadata").get("name"))).collect(Collectors.toSet());
    boolean onClaim = maps(m.container().get("volumeMounts")).stream()
        .anyMatch(v -> dataDir.equals(v.get("mountPath")) && claims.contains(v.get("name")));
    if (!onClaim) {
      problems.add("store directory " + dataDir + " is not the mount of a volumeClaimTemplates volume " + claims
          + ": the replica's messages would not survive it");
    }
    if (config.devMode()) {
      problems.add("no sources configured: the gateway would run in local mode and deliver nowhere");
    }
    if (!Set.of("127.0.0.1", "localhost", "::1").contains(config.admin().host())) {
      problems.add("admin API bound to " + config.admin().host() + ": it must stay on loopback (port-forward)");
    }
    return problems;
  }

  static List<String> termination(Manifests m) {
    List<String> problems = new ArrayList<>();
    List<String> command = strings(map(m.container(), "lifecycle", "preStop", "exec").get("command"));
    int preStop = 0;
    if (command.size() == 2 && command.get(0).equals("sleep") && command.get(1).matches("\\d+")) {
      preStop = Integer.parseInt(command.get(1));
    } else {
      problems.add("preStop must be exec [sleep, N] so load balancers stop sending first; is " + command);
    }
    long graceMs;
    try {
      graceMs = GatewayConfig.from(new JsonObject(gatewayYamlTree(m)), kubeletEnv(m))
          .delivery().shutdownGraceMs();
    } catch (RuntimeException e) {
      problems.add("cannot read the shutdown grace: " + e.getMessage());
      return problems;
    }
    int period = integer(m.podSpec().get("terminationGracePeriodSeconds"), 30);
    long needed = preStop + (graceMs + 999) / 1000 + MIN_TERMINATION_MARGIN_SECONDS;
    if (period < needed) {
      problems.add("terminationGracePeriodSeconds " + period + " must be at least preStop " + preStop
          + " s + shutdown grace " + graceMs + " ms + " + MIN_TERMINATION_MARGIN_SECONDS + " s margin = " + needed);
    }
    return problems;
  }

  static List<String> environment(Manifests m) {
    List<String> problems = new ArrayList<>();
    String documented = read(CONF);
    for (Map<String, Object> var : m.env()) {
      String name = String.valueOf(var.get("name"));
      if (name.startsWith("GATEWAY_")
          && !Pattern.compile("(?<![A-Z0-9_])" + name + "(?![A-Z0-9_])").matcher(documented).find()) {
        problems.add("env " + name + " is not documented in " + CONF);
      }
      if (var.containsKey("value") && !(var.get("value") instanceof String)) {
        problems.add("env " + name + " value must be a string (quote it), is " + var.get("value"));
      }
    }
    resolveEnv(m, problems);
    String javaOptions = String.valueOf(m.envVar("JAVA_TOOL_OPTIONS").get("value"));
    Map<String, Object> limits = map(m.container(), "resources", "limits");
    Matcher cpus = Pattern.compile("-XX:ActiveProcessorCount=(\\d+)").matcher(javaOptions);
    if (!cpus.find() || Integer.parseInt(cpus.group(1)) != cpuCores(limits.get("cpu"))) {
      problems.add("JAVA_TOOL_OPTIONS must set -XX:ActiveProcessorCount to the CPU limit " + limits.get("cpu")
          + ": " + javaOptions);
    }
    if (!javaOptions.contains("-XX:MaxRAMPercentage=") || limits.get("memory") == null) {
      problems.add("JAVA_TOOL_OPTIONS must size the heap with -XX:MaxRAMPercentage under a memory limit");
    }
    return problems;
  }

  /**
   * The sources must be able to change without a restart: read from a file of the Secret's volume mounted as a
   * directory (the kubelet never updates a subPath mount), and not from GATEWAY_SOURCES, which would win and is
   * fixed for the life of the process.
   */
  static List<String> sourcesReload(Manifests m) {
    List<String> problems = new ArrayList<>();
    if (m.env().stream().anyMatch(e -> "GATEWAY_SOURCES".equals(e.get("name")))) {
      problems.add("env GATEWAY_SOURCES is set: it wins over GATEWAY_SOURCES_FILE and never reloads");
    }
    Object file = m.envVar("GATEWAY_SOURCES_FILE").get("value");
    SecretFile mounted = secretFiles(m).get(String.valueOf(file));
    if (file == null || mounted == null) {
      problems.add("GATEWAY_SOURCES_FILE (" + file + ") must name a file of a mounted Secret volume");
    } else if (mounted.subPath()) {
      problems.add("the Secret file " + file + " is mounted with subPath: the kubelet never updates it");
    }
    return problems;
  }

  static List<String> volumes(Manifests m) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Object>> declared = new HashMap<>();
    maps(m.podSpec().get("volumes")).forEach(v -> declared.put(String.valueOf(v.get("name")), v));
    maps(map(m.one("StatefulSet"), "spec").get("volumeClaimTemplates"))
        .forEach(t -> declared.put(String.valueOf(map(t, "metadata").get("name")), t));
    for (Map<String, Object> mount : maps(m.container().get("volumeMounts"))) {
      Map<String, Object> volume = declared.get(String.valueOf(mount.get("name")));
      if (volume == null) {
        problems.add("volumeMount " + mount.get("name") + " refers to no volume or claim template "
            + declared.keySet());
        continue;
      }
      if (volume.get("secret") instanceof Map<?, ?> ref) {
        for (Map<String, Object> item : maps(ref.get("items"))) {
          if (secretValue(m, String.valueOf(ref.get("secretName")), String.valueOf(item.get("key"))) == null) {
            problems.add("volume " + mount.get("name") + " wants key " + item.get("key") + " of Secret "
                + ref.get("secretName") + ", which the manifests do not define");
          }
        }
      }
      if (volume.get("configMap") instanceof Map<?, ?> ref) {
        Map<String, Object> configMap = m.find("ConfigMap", String.valueOf(ref.get("name")));
        if (configMap == null) {
          problems.add("volume " + mount.get("name") + " names ConfigMap " + ref.get("name") + ", not defined");
        } else if (mount.get("subPath") != null && !map(configMap, "data").containsKey(mount.get("subPath"))) {
          problems.add("volumeMount " + mount.get("name") + " subPath " + mount.get("subPath") + " is not a key of "
              + "ConfigMap " + ref.get("name"));
        }
      }
    }
    // The gateway reads GATEWAY_CONFIG if set, else conf/gateway.yaml under the image's WORKDIR.
    Map<String, String> env = resolveEnv(m, new ArrayList<>());
    String reads = env.containsKey("GATEWAY_CONFIG") ? env.get("GATEWAY_CONFIG") : workdir() + "/conf/gateway.yaml";
    boolean mounted = maps(m.container().get("volumeMounts")).stream().anyMatch(v -> {
      Map<String, Object> volume = declared.get(String.valueOf(v.get("name")));
      String path = String.valueOf(v.get("mountPath"));
      return volume != null && volume.containsKey("configMap")
          && (path.equals(reads) || reads.equals(path + "/gateway.yaml") && v.get("subPath") == null);
    });
    if (!mounted) {
      problems.add("the gateway reads " + reads + ", where no ConfigMap with its gateway.yaml is mounted");
    }
    return problems;
  }

  static List<String> dashboard(Manifests m) {
    List<String> problems = new ArrayList<>();
    JsonObject json;
    try {
      json = new JsonObject(m.dashboard);
    } catch (RuntimeException e) {
      problems.add(DASHBOARD + " is not valid JSON: " + e.getMessage());
      return problems;
    }
    JsonArray inputs = json.getJsonArray("__inputs", new JsonArray());
    if (inputs.stream().map(JsonObject.class::cast).noneMatch(i -> "DS_PROMETHEUS".equals(i.getString("name")))) {
      problems.add(DASHBOARD + " needs a DS_PROMETHEUS input (the datasource chosen at import)");
    }
    List<String> expressions = new ArrayList<>();
    collectExpressions(json, expressions);
    if (expressions.isEmpty()) {
      problems.add(DASHBOARD + " has no Prometheus expressions");
    }
    Set<String> used = new TreeSet<>();
    for (String expr : expressions) {
      for (String metric : metricNames(expr)) {
        used.add(metric);
        if (METRIC_PREFIXES.stream().noneMatch(metric::startsWith)) {
          problems.add(DASHBOARD + " queries " + metric + ", not a gateway_/vertx_/jvm_/process_ series: " + expr);
        }
      }
    }
    for (String series : DASHBOARD_SERIES) {
      if (!used.contains(series)) {
        problems.add(DASHBOARD + " has no panel for " + series);
      }
    }
    return problems;
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Every PromQL expression of the dashboard: panel targets ("expr") and query variables ("query"). */
  private static void collectExpressions(Object node, List<String> into) {
    if (node instanceof JsonObject object) {
      boolean queryVariable = "query".equals(object.getValue("type"));
      object.forEach(e -> {
        if ("expr".equals(e.getKey()) && e.getValue() instanceof String expr) {
          into.add(expr);
        } else if (queryVariable && "query".equals(e.getKey()) && e.getValue() instanceof String query) {
          into.add(query);
        } else if (queryVariable && "query".equals(e.getKey()) && e.getValue() instanceof JsonObject query
            && query.getValue("query") instanceof String text) {
          into.add(text);
        } else {
          collectExpressions(e.getValue(), into);
        }
      });
    } else if (node instanceof JsonArray array) {
      array.forEach(v -> collectExpressions(v, into));
    }
  }

  private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");

  /** Metric names in a PromQL expression (also Grafana's label_values(metric, label)). */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")        // string literals
        .replaceAll("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*", " ")           // Grafana variables
        .replaceAll("\\{[^}]*}", " ")                                        // label matchers
        .replaceAll("\\[[^]]*]", " ")                                        // ranges
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    s = s.replaceAll("label_values\\s*\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,[^)]*\\)", " $1 ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?").matcher(s);
    while (m.find()) {
      if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The container's environment as the kubelet would give it (downward API and Secret values resolved). */
  static Map<String, String> resolveEnv(Manifests m, List<String> problems) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> var : m.env()) {
      String name = String.valueOf(var.get("name"));
      if (var.containsKey("value")) {
        Matcher ref = ENV_REF.matcher(String.valueOf(var.get("value")));
        StringBuilder value = new StringBuilder();
        while (ref.find()) {
          String referred = env.get(ref.group(1));
          if (referred == null) {
            // Kubernetes leaves "$(NAME)" as it is when NAME is not defined earlier in the list.
            problems.add("env " + name + " refers to $(" + ref.group(1) + "), not defined before it");
            referred = ref.group();
          }
          ref.appendReplacement(value, Matcher.quoteReplacement(referred));
        }
        ref.appendTail(value);
        env.put(name, value.toString());
        continue;
      }
      Map<String, Object> from = map(var, "valueFrom");
      if (from.get("fieldRef") instanceof Map<?, ?> field) {
        String sample = FIELD_SAMPLES.get(String.valueOf(field.get("fieldPath")));
        if (sample == null) {
          problems.add("env " + name + " fieldRef " + field.get("fieldPath") + " is not a downward API field here");
        } else {
          env.put(name, sample);
        }
      } else if (from.get("secretKeyRef") instanceof Map<?, ?> ref) {
        String value = secretValue(m, String.valueOf(ref.get("name")), String.valueOf(ref.get("key")));
        if (value != null) {
          env.put(name, value);
        } else if (!Boolean.TRUE.equals(ref.get("optional"))) {
          problems.add("env " + name + " needs key " + ref.get("key") + " of Secret " + ref.get("name")
              + ", which the manifests do not define");
        }
      } else if (from.get("configMapKeyRef") instanceof Map<?, ?> ref) {
        Map<String, Object> configMap = m.find("ConfigMap", String.valueOf(ref.get("name")));
        Object value = configMap == null ? null : map(configMap, "data").get(ref.get("key"));
        if (value != null) {
          env.put(name, String.valueOf(value));
        } else if (!Boolean.TRUE.equals(ref.get("optional"))) {
          problems.add("env " + name + " needs key " + ref.get("key") + " of ConfigMap " + ref.get("name"));
        }
      } else {
        problems.add("env " + name + " has neither a value nor a known valueFrom");
      }
    }
    return env;
  }

  /** A file the kubelet would put in the container from a Secret volume. */
  record SecretFile(String content, boolean subPath) {}

  /** The files of the container's Secret volumes, by path in the container. */
  static Map<String, SecretFile> secretFiles(Manifests m) {
    Map<String, SecretFile> files = new LinkedHashMap<>();
    for (Map<String, Object> mount : maps(m.container().get("volumeMounts"))) {
      Map<String, Object> secret = map(m.podVolume(String.valueOf(mount.get("name"))), "secret");
      if (secret.isEmpty()) {
        continue;
      }
      String name = String.valueOf(secret.get("secretName"));
      Map<String, String> byPath = new LinkedHashMap<>(); // item path -> key; without items, every key
      List<Map<String, Object>> items = maps(secret.get("items"));
      if (items.isEmpty()) {
        Map<String, Object> doc = m.find("Secret", name);
        if (doc != null) {
          map(doc, "stringData").keySet().forEach(k -> byPath.put(k, k));
          map(doc, "data").keySet().forEach(k -> byPath.put(k, k));
        }
      }
      items.forEach(i -> byPath.put(String.valueOf(i.get("path")), String.valueOf(i.get("key"))));
      String mountPath = String.valueOf(mount.get("mountPath"));
      Object subPath = mount.get("subPath");
      byPath.forEach((path, key) -> {
        String content = secretValue(m, name, key);
        if (content == null) {
          return;
        }
        if (subPath == null) {
          files.put(mountPath + "/" + path, new SecretFile(content, false));
        } else if (subPath.equals(path)) {
          files.put(mountPath, new SecretFile(content, true));
        }
      });
    }
    return files;
  }

  /**
   * The environment as {@link #resolveEnv} gives it, with each path into a mounted Secret replaced by a local
   * file holding what the kubelet would put there, so the gateway's own configuration code can read it.
   */
  static Map<String, String> kubeletEnv(Manifests m) {
    Map<String, String> env = resolveEnv(m, new ArrayList<>());
    Map<String, SecretFile> files = secretFiles(m);
    env.replaceAll((name, value) -> {
      SecretFile file = files.get(value);
      if (file == null) {
        return value;
      }
      try {
        Path local = Files.createTempFile("k8s-secret-", null);
        local.toFile().deleteOnExit();
        return Files.writeString(local, file.content()).toString();
      } catch (IOException e) {
        throw new IllegalStateException("cannot write a temporary file", e);
      }
    });
    return env;
  }

  private static String secretValue(Manifests m, String secretName, String key) {
    Map<String, Object> secret = m.find("Secret", secretName);
    if (secret == null) {
      return null;
    }
    Object plain = map(secret, "stringData").get(key);
    if (plain != null) {
      return String.valueOf(plain);
    }
    Object encoded = map(secret, "data").get(key);
    return encoded == null ? null : new String(Base64.getDecoder().decode(String.valueOf(encoded)),
        StandardCharsets.UTF_8);
  }

  private static Map<String, Object> gatewayYamlTree(Manifests m) {
    Object loaded = yaml().load(m.gatewayYaml());
    if (!(loaded instanceof Map<?, ?>)) {
      throw new IllegalStateException("ConfigMap gateway.yaml is not a YAML mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) loaded;
    return tree;
  }

  private static String workdir() {
    String workdir = "/";
    for (String line : read(DOCKERFILE).split("\n")) {
      if (line.trim().toUpperCase().startsWith("WORKDIR ")) {
        workdir = line.trim().substring("WORKDIR ".length()).trim();
      }
    }
    return workdir;
  }

  private static int cpuCores(Object quantity) {
    String q = String.valueOf(quantity);
    return q.endsWith("m") ? (int) Math.ceil(Integer.parseInt(q.substring(0, q.length() - 1)) / 1000.0)
        : (int) Math.ceil(Double.parseDouble(q));
  }

  private static boolean isHeadless(Map<String, Object> service) {
    return "None".equals(map(service, "spec").get("clusterIP"));
  }

  private static void selects(List<String> problems, String what, Map<String, Object> selector,
                              Map<String, Object> podLabels) {
    if (selector.isEmpty()) {
      problems.add(what + " is empty");
    }
    selector.forEach((k, v) -> {
      if (!Objects.equals(podLabels.get(k), v)) {
        problems.add(what + " wants " + k + "=" + v + ", pod template has " + k + "=" + podLabels.get(k));
      }
    });
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static String name(Map<String, Object> doc) {
    return String.valueOf(map(doc, "metadata").get("name"));
  }

  /** The mapping at a path, or an empty (detached) one if any step is missing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> root, String... path) {
    Object node = root;
    for (String step : path) {
      node = node instanceof Map<?, ?> map ? map.get(step) : null;
    }
    return node instanceof Map<?, ?> ? (Map<String, Object>) node : new LinkedHashMap<>();
  }

  /** The list at a path, or an empty (detached) one. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> root, String... path) {
    Object node = map(root, java.util.Arrays.copyOf(path, path.length - 1)).get(path[path.length - 1]);
    return node instanceof List<?> ? (List<Object>) node : new ArrayList<>();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object node) {
    if (!(node instanceof List<?> list)) {
      return new ArrayList<>();
    }
    List<Map<String, Object>> maps = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?>) {
        maps.add((Map<String, Object>) item);
      }
    }
    return maps;
  }

  private static List<String> strings(Object node) {
    return node instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  private static int integer(Object value, int otherwise) {
    return value instanceof Number n ? n.intValue() : otherwise;
  }

  /** One YAML document of a file under k8s/. */
  record Doc(Path file, int index, Map<String, Object> body) {
    @Override
    public String toString() {
      return file + " document " + index + " (" + body.get("kind") + " " + map(body, "metadata").get("name") + ")";
    }
  }

  /** Everything under k8s/, freshly read (so a test may change its copy). */
  static final class Manifests {
    final List<Doc> docs = new ArrayList<>();
    final List<String> loadProblems = new ArrayList<>();
    String dashboard;

    static Manifests load() {
      Manifests m = new Manifests();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(K8S)) {
        files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + K8S, e);
      }
      for (Path file : files) {
        int index = 0;
        try {
          for (Object doc : yaml().loadAll(read(file))) {
            index++;
            if (doc == null) {
              continue;
            }
            if (doc instanceof Map<?, ?>) {
              @SuppressWarnings("unchecked")
              Map<String, Object> body = (Map<String, Object>) doc;
              m.docs.add(new Doc(file, index, body));
            } else {
              m.loadProblems.add(file + " document " + index + " is not a mapping");
            }
          }
        } catch (RuntimeException e) {
          m.loadProblems.add(file + " is not valid YAML: " + e.getMessage());
        }
      }
      m.dashboard = read(DASHBOARD);
      return m;
    }

    List<Map<String, Object>> all(String kind) {
      return docs.stream().filter(d -> kind.equals(d.body.get("kind"))).map(Doc::body).toList();
    }

    Map<String, Object> one(String kind) {
      List<Map<String, Object>> all = all(kind);
      return all.isEmpty() ? new LinkedHashMap<>() : all.get(0);
    }

    Map<String, Object> find(String kind, String name) {
      return all(kind).stream().filter(d -> name.equals(name(d))).findFirst().orElse(null);
    }

    /** The headless Service, or null. */
    Map<String, Object> headless() {
      return all("Service").stream().filter(K8sManifestsTest::isHeadless).findFirst().orElse(null);
    }

    /** The load-balanced (not headless) Service. */
    Map<String, Object> service() {
      return all("Service").stream().filter(s -> !isHeadless(s)).findFirst().orElse(new LinkedHashMap<>());
    }

    Map<String, Object> podSpec() {
      return map(one("StatefulSet"), "spec", "template", "spec");
    }

    Map<String, Object> container() {
      List<Map<String, Object>> containers = maps(podSpec().get("containers"));
      return containers.stream().filter(c -> "gateway".equals(c.get("name"))).findFirst()
          .orElse(containers.isEmpty() ? new LinkedHashMap<>() : containers.get(0));
    }

    /** Container port numbers by name. */
    Map<String, Integer> containerPorts() {
      Map<String, Integer> ports = new LinkedHashMap<>();
      maps(container().get("ports")).forEach(p -> ports.put(String.valueOf(p.get("name")),
          p.get("containerPort") instanceof Number n ? n.intValue() : null));
      return ports;
    }

    List<Map<String, Object>> env() {
      if (!(container().get("env") instanceof List<?>)) {
        container().put("env", new ArrayList<>());
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> env = (List<Map<String, Object>>) container().get("env");
      return env;
    }

    Map<String, Object> envVar(String name) {
      return env().stream().filter(e -> name.equals(e.get("name"))).findFirst().orElse(new LinkedHashMap<>());
    }

    Map<String, Object> podVolume(String name) {
      return maps(podSpec().get("volumes")).stream().filter(v -> name.equals(v.get("name"))).findFirst()
          .orElse(new LinkedHashMap<>());
    }

    Map<String, Object> volumeMount(String name) {
      return maps(container().get("volumeMounts")).stream().filter(v -> name.equals(v.get("name"))).findFirst()
          .orElse(new LinkedHashMap<>());
    }

    String gatewayYaml() {
      return String.valueOf(map(one("ConfigMap"), "data").get("gateway.yaml"));
    }

    void gatewayYaml(String text) {
      map(one("ConfigMap"), "data").put("gateway.yaml", text);
    }
  }
}
