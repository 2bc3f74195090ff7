package io.indicativegateway.acceptance;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.store.DeadLetter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Segment's browser library ({@code @segment/analytics-next}, from the npm install in {@code src/test/browser})
 * in a real Chromium, loaded the way a web team would with the gateway as its settings host and API host, on a
 * page served from another origin. Every call reaches the Indicative simulator, and the browser asks no host but
 * the two on 127.0.0.1. {@code .ci/run} installs Chromium; the npm packages are installed here ({@code npm ci}, only
 * when package-lock.json is not the one installed) so {@code mvn verify} alone runs it.
 *
 * <p>It is skipped only when {@code /usr/bin/chromium} is absent. With Chromium there, a missing or too old node, or
 * an npm install that fails, fails it. Time: the install has its own bound ({@link #INSTALL_TIMEOUT}, outside the
 * test's); the test itself, browser included, is bounded at 60 s, with internal budgets that end before that so a
 * failure says what was being waited for.
 */
@ExtendWith(VertxExtension.class)
class BrowserAnalyticsTest {

  private static final Logger log = LoggerFactory.getLogger(BrowserAnalyticsTest.class);
  private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
  private static final Path NODE_MODULES = BROWSER_DIR.resolve("node_modules");
  private static final Path ANALYTICS_UMD = NODE_MODULES.resolve("@segment/analytics-next/dist/umd");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** playwright-core's minimum (Debian bookworm's nodejs, 18, is too old). */
  private static final int MIN_NODE_MAJOR = 20;
  /** Marks the package-lock.json that {@code npm ci} last installed (.ci/run writes the same file). */
  private static final Path INSTALLED_LOCK = NODE_MODULES.resolve(".installed-package-lock.json");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  /** The whole test ({@code @Timeout}); everything inside ends by {@link #DEADLINE} after it starts. */
  private static final int TEST_TIMEOUT_SECONDS = 60;
  private static final Duration DEADLINE = Duration.ofSeconds(50);
  /** What run.mjs may spend from launching Chromium to closing it, within {@link #DEADLINE}. */
  private static final Duration RUN_MJS_BUDGET = Duration.ofSeconds(40);
  /** Indicative refuses this event, so the gateway keeps the message as it stored it, for the test to read. */
  private static final String KEPT_EVENT = "Stored Copy";

  @Test
  @Timeout(value = TEST_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
  void analyticsNextInChromiumSendsEverythingThroughTheGatewayAndNowhereElse(Vertx vertx, @TempDir Path dir)
      throws Exception {
    long testStarted = System.nanoTime();
    long deadline = testStarted + DEADLINE.toNanos();
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), () -> "browser test skipped: " + CHROMIUM
        + " is not installed (Debian package chromium; .ci/run installs it)");
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir.resolve("store"), Map.of())) {
      gw.simulator.poisonEventName(KEPT_EVENT);
      HttpServer site = startSite(vertx);
      String siteOrigin = "http://127.0.0.1:" + site.actualPort();
      String gatewayOrigin = "http://127.0.0.1:" + gw.port;
      long started = System.nanoTime();
      try (BrowserRun browser = BrowserRun.start(siteOrigin, gatewayOrigin, dir.resolve("browser"))) {
        JsonObject pages = browser.next(deadline, "the pages to be done and left");
        assertThat(pages.getString("phase")).as("the pages: %s", pages.encodePrettily()).isEqualTo("unloaded");
        String userAgent = pages.getString("userAgent");
        String anonymousId = pages.getString("anonymousId");
        assertThat(pages.getString("userId")).isEqualTo("user-42");
        assertThat(anonymousId).isNotBlank();
        AssertionError missing = null;
        try {
          awaitEverything(gw, deadline);
        } catch (AssertionError e) {
          missing = e;
        } finally {
          browser.closeInput(); // the browser closes and reports its network log
        }
        JsonObject report = browser.next(deadline, "the browser to close and report");
        log.info("browser run took {} ms; the test so far {} ms", (System.nanoTime() - started) / 1_000_000,
            (System.nanoTime() - testStarted) / 1_000_000);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "browser-report.json"), report.encodePrettily()); // for a failure's reader
        if (missing != null) {
          throw new AssertionError(missing.getMessage() + " (what the browser did: target/browser-report.json)",
              missing);
        }
        assertThat(report.getString("phase")).as("the report: %s", report.encodePrettily()).isEqualTo("report");
        assertThat(report.getJsonArray("errors")).as("page errors").isEmpty();
        assertThat(report.getJsonArray("console").stream().map(Object::toString))
            .as("the library logs no error (a refused request or failed delivery would)")
            .noneMatch(line -> line.startsWith("error"));

        List<JsonObject> requests = objects(report.getJsonArray("requests"));
        List<JsonObject> fromPages = requests.stream().filter(BrowserAnalyticsTest::fromTestPages).toList();
        assertOnlyLoopbackRequests(fromPages, siteOrigin, gatewayOrigin);
        assertBrowserHousekeepingNeverLeft(requests.stream().filter(r -> !fromTestPages(r)).toList());
        assertGatewayRequests(fromPages, gatewayOrigin);
        assertDelivered(gw, siteOrigin, userAgent, anonymousId);
        assertStoredCopy(gw, userAgent);
      } finally {
        site.close().await(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void awaitEverything(GatewayHarness gw, long deadline) throws Exception {
    // what the browser sent is answered by then; leave a few seconds for closing it and reading its log
    Duration wait = Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime() - 8_000_000_000L));
    eventually(wait, "the four events, the identify and the alias at Indicative, the refused event kept", () ->
        event(gw, "Checkout Abandoned") != null && event(gw, "Tab Hidden") != null
            && event(gw, "Order Completed") != null && event(gw, "Page View Getting Started") != null
            && !gw.simulator.identifies().isEmpty() && !gw.simulator.aliases().isEmpty()
            && !gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).isEmpty());
  }

  /**
   * A request made for one of the test's pages (by the page, its scripts, or navigating to it), as opposed to
   * the browser's own background requests: those carry no page's network isolation key or initiator.
   */
  private static boolean fromTestPages(JsonObject request) {
    return request.getString("isolationKey", "").contains("http://127.0.0.1")
        || request.getString("initiator", "").startsWith("http://127.0.0.1");
  }

  /** (b) Nothing the pages or the library asked for went to any host but the site's and the gateway's. */
  private static void assertOnlyLoopbackRequests(List<JsonObject> requests, String siteOrigin, String gatewayOrigin) {
    assertThat(requests).isNotEmpty();
    for (JsonObject request : requests) {
      URI uri = URI.create(request.getString("url"));
      assertThat(uri.getScheme() + "://" + uri.getAuthority()).as("origin of %s", request.getString("url"))
          .isIn(siteOrigin, gatewayOrigin);
    }
    assertThat(requests.stream().filter(r -> r.getString("url").startsWith(siteOrigin)).map(r -> path(r)))
        .as("what the site served").contains("/shop.html", "/checkout.html", "/bye.html",
            "/vendor/analytics-next/index.js");
  }

  /**
   * Chromium itself still tries a few update and account checks; the host resolver rules of run.mjs answer
   * them with "not found", so they never reach the network. Listed in the log for whoever reads it.
   */
  private static void assertBrowserHousekeepingNeverLeft(List<JsonObject> requests) {
    for (JsonObject request : requests) {
      log.info("the browser's own request, refused by its resolver rules: {} {}", request.getString("method"),
          request.getString("url"));
      assertThat(request.getInteger("status")).as("answer to %s", request.getString("url")).isNull();
      assertThat(request.getInteger("netError")).as("error of %s", request.getString("url")).isNotNull();
    }
  }

  /** Settings from the gateway, the library's short paths, the beacon and the unload batch, all answered. */
  private static void assertGatewayRequests(List<JsonObject> requests, String gatewayOrigin) {
    List<JsonObject> toGateway = requests.stream().filter(r -> r.getString("url").startsWith(gatewayOrigin))
        .toList();
    for (JsonObject request : toGateway) {
      if (request.getBoolean("fromCache")) {
        continue; // the settings may be cached for a minute: the second page had them from the browser's cache
      }
      assertThat(request.getInteger("status")).as("answer to %s %s (net error %s)", request.getString("method"),
          request.getString("url"), request.getInteger("netError")).isIn(200, 204);
    }
    assertThat(paths(toGateway, "GET")).as("settings loads (one per page)")
        .containsExactly("/v1/projects/" + WRITE_KEY + "/settings", "/v1/projects/" + WRITE_KEY + "/settings");
    assertThat(toGateway.get(0).getString("url")).endsWith("/settings");
    assertThat(toGateway.get(0).getInteger("status")).as("the first settings load, from the gateway").isEqualTo(200);
    assertThat(paths(toGateway, "POST")).as("what the browser posted").containsExactlyInAnyOrder(
        "/v1/p", "/v1/i", "/v1/t", "/v1/t", "/v1/t", "/v1/b");
    // the library sends Authorization, so the browser asked first; the answers let it go on
    assertThat(paths(toGateway, "OPTIONS")).as("CORS preflights").contains("/v1/p", "/v1/i", "/v1/t", "/v1/b");
    for (JsonObject post : toGateway.stream().filter(r -> r.getString("method").equals("POST")).toList()) {
      assertThat(header(post, "Content-Type")).as("content type of %s", path(post)).startsWith("text/plain");
    }
  }
  /** (a) What Indicative received. */
  private static void assertDelivered(GatewayHarness gw, String siteOrigin, String userAgent, String anonymousId)
      throws Exception {
    JsonObject device = device(userAgent);
    log.info("the properties {} gives: {}", userAgent, device.encode());
    assertThat(device.getString("os")).as("what the parser makes of %s", userAgent).isEqualTo("Linux");
    assertThat(device.getString("browser")).contains("Chrome");
    assertThat(device.getString("browser_version")).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
    // a desktop Linux user agent names no device: ua-parser says "Other", which the translator leaves out
    assertThat(device.containsKey("device")).as("device of %s", userAgent).isFalse();

    JsonObject page = event(gw, "Page View Getting Started");
    assertThat(page.getString("eventUniqueId")).isEqualTo(anonymousId); // before identify
    JsonObject pageProperties = page.getJsonObject("properties");
    assertThat(pageProperties.getString("section")).isEqualTo("intro");
    assertThat(pageProperties.getString("category")).isEqualTo("Docs");
    assertThat(pageProperties.getString("path")).isEqualTo("/shop.html");
    assertThat(pageProperties.getString("title")).isEqualTo("Gateway Shop");
    assertThat(pageProperties.getString("url")).startsWith(siteOrigin + "/shop.html?gateway=");
    // only in context.page: merged into the properties by the gateway
    assertThat(pageProperties.getString("keywords")).isEqualTo("docs,setup");
    assertDevice(pageProperties, device);

    JsonObject identify = gw.simulator.identifies().get(0);
    assertThat(identify.getString("uniqueId")).isEqualTo("user-42");
    assertThat(identify.getJsonObject("properties")).isEqualTo(new JsonObject()
        .put("email", "ada@example.com").put("plan", "pro").put("address.city", "London"));
    assertThat(gw.simulator.aliases()).extracting(a -> a.getString("previousId") + "->" + a.getString("newId"))
        .containsExactly(anonymousId + "->user-42");

    JsonObject order = event(gw, "Order Completed");
    assertThat(order.getString("eventUniqueId")).isEqualTo("user-42");
    JsonObject orderProperties = order.getJsonObject("properties");
    assertThat(orderProperties.getString("order.id")).isEqualTo("o-1");
    assertThat(orderProperties.getDouble("order.total")).isEqualTo(99.5);
    assertThat(orderProperties.getString("order.items.sku")).isEqualTo("sku-a,sku-b");
    assertThat(orderProperties.getString("tags")).isEqualTo("gift,express");
    assertThat(orderProperties.containsKey("coupon")).isFalse();
    assertDevice(orderProperties, device);

    // sendBeacon from the page with no userAgent in the message: the gateway took the browser's header
    JsonObject beacon = event(gw, "Tab Hidden");
    assertThat(beacon.getString("eventUniqueId")).isEqualTo("user-42");
    assertThat(beacon.getJsonObject("properties").getInteger("seconds_on_page")).isEqualTo(3);
    assertDevice(beacon.getJsonObject("properties"), device);

    // batched by the library and sent with fetch keepalive as the checkout page went away
    JsonObject checkout = event(gw, "Checkout Abandoned");
    assertThat(checkout.getString("eventUniqueId")).isEqualTo("user-42");
    assertThat(checkout.getJsonObject("properties").getInteger("cart.value")).isEqualTo(42);
    assertThat(checkout.getJsonObject("properties").getString("cart.currency")).isEqualTo("EUR");
    assertDevice(checkout.getJsonObject("properties"), device);

    for (JsonObject event : gw.simulator.events()) {
      assertThat(event.getJsonObject("properties").fieldNames()).as("the client address is not sent to Indicative")
          .noneMatch(name -> name.equals("ip") || name.endsWith(".ip"));
    }
    assertThat(gw.simulator.events()).extracting(e -> e.getString("eventName")).containsExactlyInAnyOrder(
        "Page View Getting Started", "Order Completed", "Tab Hidden", "Checkout Abandoned");
  }

  /**
   * What the user-agent library says of Chromium's own user agent, as the contract's properties and by the
   * translator's rules: the OS with its major version when there is one, and no field where the library answers
   * "Other" (it does for a desktop's device).
   */
  private static JsonObject device(String userAgent) {
    Client client = new Parser().parse(userAgent);
    JsonObject fields = new JsonObject().put("browser", client.userAgent.family)
        .put("browser_version", client.userAgent.major + "." + client.userAgent.minor + "." + client.userAgent.patch)
        .put("os", client.os.major == null || client.os.major.isEmpty() ? client.os.family
            : client.os.family + " " + client.os.major);
    if (client.device != null && client.device.family != null && !"Other".equals(client.device.family)) {
      fields.put("device", client.device.family);
    }
    return fields;
  }

  /** The four user-agent properties are exactly the expected ones: present with their value, or absent. */
  private static void assertDevice(JsonObject properties, JsonObject device) {
    for (String field : List.of("browser", "browser_version", "os", "device")) {
      if (device.containsKey(field)) {
        assertThat(properties.getValue(field)).as(field).isEqualTo(device.getValue(field));
      } else {
        assertThat(properties.containsKey(field)).as("%s in %s", field, properties.encode()).isFalse();
      }
    }
  }

  /** The message as the gateway stored it: context.ip filled from the connection, the library's own context kept. */
  private static void assertStoredCopy(GatewayHarness gw, String userAgent) throws Exception {
    JsonObject stored = gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 10).get(0).getValue()
        .message();
    assertThat(stored.getString("event")).isEqualTo(KEPT_EVENT);
    JsonObject context = stored.getJsonObject("context");
    assertThat(context.getString("ip")).as("filled from the connection").isEqualTo("127.0.0.1");
    assertThat(context.getString("userAgent")).isEqualTo(userAgent);
    assertThat(context.getJsonObject("library").getString("name")).isEqualTo("analytics.js");
    assertThat(context.getJsonObject("page").getString("path")).isEqualTo("/shop.html");
    assertThat(stored.getValue("writeKey")).as("the write key is not kept").isNull();
  }

  private static JsonObject event(GatewayHarness gw, String name) {
    return gw.simulator.events().stream().filter(e -> name.equals(e.getString("eventName"))).findFirst()
        .orElse(null);
  }

  private static String path(JsonObject request) {
    return URI.create(request.getString("url")).getPath();
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    array.forEach(o -> list.add((JsonObject) o));
    return list;
  }

  /** The test's web site: its pages, and the library as the npm package ships it, on its own port. */
  private static HttpServer startSite(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    router.route("/vendor/analytics-next/*").handler(StaticHandler.create(FileSystemAccess.RELATIVE,
        ANALYTICS_UMD.toString()).setCachingEnabled(false));
    router.route("/*").handler(StaticHandler.create(FileSystemAccess.RELATIVE,
        BROWSER_DIR.resolve("pages").toString()).setCachingEnabled(false));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private static List<String> paths(List<JsonObject> requests, String method) {
    return requests.stream().filter(r -> method.equals(r.getString("method"))).map(r -> path(r)).toList();
  }

  /** A request header as the network log shows it ({@code Name: value} lines), or "" when absent. */
  private static String header(JsonObject request, String name) {
    for (Object line : request.getJsonArray("requestHeaders", new JsonArray())) {
      String text = line.toString();
      if (text.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return text.substring(name.length() + 1).trim();
      }
    }
    return "";
  }

  /**
   * {@code node run.mjs} driving Chromium: its stdout lines as JSON objects, its stderr in a file shown on
   * failure. Closing its stdin tells it to close the browser and report.
   */
  private static final class BrowserRun implements AutoCloseable {

    private final Process node;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private BrowserRun(Process node, Path stderr) {
      this.node = node;
      this.stderr = stderr;
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "run.mjs stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static BrowserRun start(String siteOrigin, String gatewayOrigin, Path workDir) throws IOException {
      Files.createDirectories(workDir);
      Path stderr = workDir.resolve("run.mjs.log");
      ProcessBuilder builder = new ProcessBuilder("node", "run.mjs", siteOrigin, gatewayOrigin, WRITE_KEY,
          workDir.toAbsolutePath().toString())
          .directory(BROWSER_DIR.toFile())
          .redirectError(stderr.toFile());
      builder.environment().put("BROWSER_TEST_BUDGET_MS", Long.toString(RUN_MJS_BUDGET.toMillis()));
      Process node = builder.start();
      return new BrowserRun(node, stderr);
    }

    /** The next JSON line run.mjs prints; fails with what it said when none comes by the deadline. */
    JsonObject next(long deadline, String what) throws Exception {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("waited " + DEADLINE.toSeconds() + " s after the test started for " + what
            + "; run.mjs printed nothing (alive: " + node.isAlive() + "); it said:\n" + said());
      }
      try {
        return new JsonObject(line);
      } catch (RuntimeException e) {
        throw new AssertionError("run.mjs printed " + line + "; it said:\n" + said(), e);
      }
    }

    void closeInput() throws IOException {
      node.getOutputStream().close();
    }

    private String said() throws IOException {
      return Files.isRegularFile(stderr) ? Files.readString(stderr) : "";
    }

    /** Ends Node and the browser it started, by their process handles, if they are still running. */
    @Override
    public void close() throws Exception {
      if (node.isAlive()) {
        List<ProcessHandle> children = node.descendants().collect(Collectors.toList());
        node.getOutputStream().close();
        node.destroy(); // playwright closes its browser on SIGTERM
        if (!node.waitFor(3, TimeUnit.SECONDS)) {
          children.forEach(ProcessHandle::destroyForcibly);
          node.destroyForcibly();
          node.waitFor(2, TimeUnit.SECONDS);
        }
      }
      log.info("run.mjs said:\n{}", said());
    }
  }

  /**
   * With Chromium there, node must run and be new enough, and the npm packages pinned by package-lock.json must be
   * installed: {@code npm ci} runs when they are not (playwright never downloads a browser). Any of these missing
   * fails the test, saying which; without Chromium nothing is tried and the test skips. Bounded on its own.
   */
  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void installNpmPackagesWhenNeeded() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      return; // the test skips, saying so
    }
    checkNode();
    if (npmPackagesInstalled()) {
      return;
    }
    Files.createDirectories(Path.of("target"));
    Path output = Path.of("target", "browser-npm-ci.log").toAbsolutePath();
    log.info("installing the browser test's npm packages: npm ci in {} (output in {})", BROWSER_DIR, output);
    long started = System.nanoTime();
    ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
        .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Process process;
    try {
      process = npm.start();
    } catch (IOException e) {
      throw new AssertionError(CHROMIUM + " is installed but npm cannot be started (" + e.getMessage()
          + "): the browser test needs npm to install " + BROWSER_DIR + "/package-lock.json; .ci/run installs it");
    }
    if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("npm ci in " + BROWSER_DIR + " took more than " + INSTALL_TIMEOUT.toMinutes()
          + " minutes and was stopped; its output: " + output);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("npm ci in " + BROWSER_DIR + " failed with exit code " + process.exitValue()
          + "; its output (" + output + ") ends with:\n" + tail(output));
    }
    Files.copy(BROWSER_DIR.resolve("package-lock.json"), INSTALLED_LOCK, StandardCopyOption.REPLACE_EXISTING);
    if (!npmPackagesInstalled()) {
      throw new AssertionError("npm ci in " + BROWSER_DIR + " succeeded but " + ANALYTICS_UMD.resolve("index.js")
          + " or " + NODE_MODULES.resolve("playwright-core") + " is missing");
    }
    log.info("npm ci took {} ms", (System.nanoTime() - started) / 1_000_000);
  }

  /** The npm packages are there, installed from the package-lock.json in the tree. */
  private static boolean npmPackagesInstalled() throws IOException {
    return Files.isRegularFile(ANALYTICS_UMD.resolve("index.js"))
        && Files.isDirectory(NODE_MODULES.resolve("playwright-core"))
        && Files.isRegularFile(INSTALLED_LOCK)
        && Files.mismatch(INSTALLED_LOCK, BROWSER_DIR.resolve("package-lock.json")) == -1;
  }

  /** Fails, saying what is wrong, unless {@code node --version} answers a major version of at least 20. */
  private static void checkNode() throws InterruptedException {
    String version;
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readNBytes(200);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new AssertionError(CHROMIUM + " is installed but `node --version` failed: "
            + new String(out, StandardCharsets.UTF_8).trim());
      }
      version = new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new AssertionError(CHROMIUM + " is installed but node cannot be started (" + e.getMessage()
          + "): the browser test drives Chromium with Node.js " + MIN_NODE_MAJOR + " or later; .ci/run installs it");
    }
    java.util.regex.Matcher major = java.util.regex.Pattern.compile("v?(\\d+)\\..*").matcher(version);
    if (!major.matches() || Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
      throw new AssertionError("node " + version + " is too old for the browser test: playwright-core needs Node.js "
          + MIN_NODE_MAJOR + " or later (Debian bookworm's nodejs is 18)");
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
