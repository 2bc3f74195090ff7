package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.DISABLED_WRITE_KEY;
import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.config.Source;
import io.indicativegateway.config.SourceRegistry;
import io.indicativegateway.store.DeadLetter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Segment's browser library needs over HTTP: its settings document, the one-letter paths it posts to with
 * text/plain bodies, CORS answers for the headers it sends, and the client's address and user agent recorded
 * with each message.
 */
@ExtendWith(VertxExtension.class)
class BrowserEndpointsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ORIGIN = "https://shop.example.com";
  private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
      + "Gecko) Chrome/131.0.0.0 Safari/537.36";

  private static HttpResponse<Buffer> getSettings(GatewayHarness gw, String writeKey,
                                                  Map<String, String> headers) throws Exception {
    HttpRequest<Buffer> request = gw.client.get(gw.port, "127.0.0.1", "/v1/projects/" + writeKey + "/settings")
        .putHeader("Origin", ORIGIN);
    headers.forEach(request::putHeader);
    return request.send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void settingsMakeTheGatewayTheOnlyDestinationAndPointTheLibraryBackAtIt(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      HttpResponse<Buffer> response = getSettings(gw, WRITE_KEY, Map.of());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      assertThat(response.getHeader("Access-Control-Allow-Origin")).isIn("*", ORIGIN);
      JsonObject settings = response.bodyAsJsonObject();
      assertThat(settings.getJsonObject("integrations").fieldNames()).containsExactly("Segment.io");
      JsonObject segmentIo = settings.getJsonObject("integrations").getJsonObject("Segment.io");
      assertThat(segmentIo.getString("apiKey")).isEqualTo(WRITE_KEY);
      assertThat(segmentIo.getString("apiHost")).isEqualTo("127.0.0.1:" + gw.port + "/v1");
      assertThat(segmentIo.getString("protocol")).isEqualTo("http");
      assertThat(segmentIo.getJsonArray("unbundledIntegrations")).isEmpty();
      assertThat(segmentIo.getJsonObject("maybeBundledConfigIds")).isEmpty();
      assertThat(segmentIo.getJsonObject("versionSettings").getJsonArray("componentTypes")).contains("browser");
      // nothing that makes the library fetch code or send anything elsewhere
      assertThat(settings.getJsonObject("metrics").getInteger("sampleRate")).isZero();
      assertThat(settings.getJsonArray("remotePlugins")).isEmpty();
      assertThat(settings.getJsonObject("enabledMiddleware")).isEmpty();
      assertThat(settings.getJsonObject("middlewareSettings")).isEmpty();
      assertThat(settings.getJsonObject("edgeFunction")).isEmpty();
      assertThat(settings.getBoolean("legacyVideoPluginsEnabled")).isFalse();
      assertThat(settings.getBoolean("analyticsNextEnabled")).isTrue();
      assertThat(settings.getJsonObject("plan").getJsonObject("track").getJsonObject("__default")
          .getBoolean("enabled")).isTrue();

      // the host the browser used, whatever it is
      JsonObject viaName = getSettings(gw, WRITE_KEY, Map.of("Host", "events.example.com:8443")).bodyAsJsonObject()
          .getJsonObject("integrations").getJsonObject("Segment.io");
      assertThat(viaName.getString("apiHost")).isEqualTo("events.example.com:8443/v1");
      // forwarding headers from a peer nobody trusts are ignored
      JsonObject forged = getSettings(gw, WRITE_KEY, Map.of("X-Forwarded-Host", "evil.example.com",
          "X-Forwarded-Proto", "https")).bodyAsJsonObject().getJsonObject("integrations").getJsonObject("Segment.io");
      assertThat(forged.getString("apiHost")).isEqualTo("127.0.0.1:" + gw.port + "/v1");
      assertThat(forged.getString("protocol")).isEqualTo("http");

      HttpResponse<Buffer> unknown = getSettings(gw, "no-such-key", Map.of());
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.bodyAsJsonObject().getBoolean("success")).isFalse();
      assertThat(unknown.bodyAsString()).doesNotContain("no-such-key");
      assertThat(getSettings(gw, WRITE_KEY, Map.of("Host", "bad/host")).statusCode()).isEqualTo(400);
      HttpResponse<Buffer> post = gw.post("/v1/projects/" + WRITE_KEY + "/settings").send()
          .await(10, TimeUnit.SECONDS);
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.bodyAsJsonObject().getString("error")).isEqualTo("method not allowed: send GET");
    }
  }

  @Test
  void aDisabledSourcesKeyHasNoSettingsAndNoAnswerEchoesAWriteKey(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject configFile = new JsonObject().put("sources", new JsonArray()
        .add(new JsonObject().put("name", "web").put("writeKey", WRITE_KEY).put("projectKey", PROJECT_KEY))
        .add(new JsonObject().put("name", "old-web").put("writeKey", DISABLED_WRITE_KEY).put("projectKey", "proj-off")
            .put("enabled", false)));
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_SOURCES", ""), configFile)) {
      assertThat(getSettings(gw, WRITE_KEY, Map.of()).statusCode()).as("the enabled source").isEqualTo(200);

      HttpResponse<Buffer> disabled = getSettings(gw, DISABLED_WRITE_KEY, Map.of());
      assertThat(disabled.statusCode()).isEqualTo(404);
      assertThat(disabled.getHeader("Content-Type")).startsWith("application/json");
      assertThat(disabled.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(disabled.bodyAsJsonObject().getBoolean("success")).isFalse();
      assertThat(disabled.bodyAsJsonObject().getString("error")).isNotBlank();
      assertThat(disabled.bodyAsString()).doesNotContain(DISABLED_WRITE_KEY);

      // analytics-next fetches only /settings; /integrations (classic analytics.js) is not served
      for (String key : List.of(WRITE_KEY, DISABLED_WRITE_KEY, "no-such-key")) {
        for (String rest : List.of("/integrations", "/settings/x", "")) {
          HttpResponse<Buffer> other = gw.client.get(gw.port, "127.0.0.1", "/v1/projects/" + key + rest)
              .putHeader("Origin", ORIGIN).send().await(10, TimeUnit.SECONDS);
          assertThat(other.statusCode()).as("GET /v1/projects/%s%s", key, rest).isEqualTo(404);
          assertThat(other.bodyAsJsonObject().getBoolean("success")).isFalse();
          assertThat(other.bodyAsString()).as("GET /v1/projects/%s%s", key, rest).doesNotContain(key);
        }
      }
    }
  }

  @Test
  void disabledSourcesHaveNoSettings() {
    WriteKeyAuthenticator authenticator = new WriteKeyAuthenticator(new SourceRegistry(List.of(
        new Source("on", "wk-on", "p1", true), new Source("off", "wk-off", "p2", false))));
    assertThat(authenticator.enabledSource("wk-on")).isPresent();
    assertThat(authenticator.enabledSource("wk-off")).isEmpty();
    assertThat(authenticator.enabledSource("wk-none")).isEmpty();
    assertThat(authenticator.enabledSource(null)).isEmpty();
  }

  @Test
  void behindATrustedProxyItsForwardedHostAndSchemeAreTheOnesBrowsersUse(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_TRUSTED_PROXIES", "127.0.0.0/8"))) {
      JsonObject segmentIo = getSettings(gw, WRITE_KEY, Map.of("X-Forwarded-Host", "events.example.com",
          "X-Forwarded-Proto", "https")).bodyAsJsonObject().getJsonObject("integrations").getJsonObject("Segment.io");
      assertThat(segmentIo.getString("apiHost")).isEqualTo("events.example.com/v1");
      assertThat(segmentIo.getString("protocol")).isEqualTo("https");
    }
  }

  @Test
  void aConfiguredPublicUrlWins(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_PUBLIC_URL",
        "https://example.com/segment/"))) {
      JsonObject segmentIo = getSettings(gw, WRITE_KEY, Map.of("Host", "internal:8080")).bodyAsJsonObject()
          .getJsonObject("integrations").getJsonObject("Segment.io");
      assertThat(segmentIo.getString("apiHost")).isEqualTo("example.com/segment/v1");
      assertThat(segmentIo.getString("protocol")).isEqualTo("https");
    }
  }

  @Test
  void publicUrlsAreCheckedAndTurnedIntoAnApiHost() {
    assertThat(BrowserSettings.fromPublicUrl("https://events.example.com")).isEqualTo(
        new BrowserSettings.ApiHost("events.example.com/v1", "https"));
    assertThat(BrowserSettings.fromPublicUrl("HTTP://10.0.0.5:8080/a/b/")).isEqualTo(
        new BrowserSettings.ApiHost("10.0.0.5:8080/a/b/v1", "http"));
    assertThat(BrowserSettings.problem("https://events.example.com/x")).isNull();
    assertThat(BrowserSettings.problem("ftp://events.example.com")).isNotNull();
    assertThat(BrowserSettings.problem("events.example.com")).isNotNull();
    assertThat(BrowserSettings.problem("https://user:pw@events.example.com")).isNotNull();
    assertThat(BrowserSettings.problem("https://events.example.com/?a=1")).isNotNull();
    assertThat(BrowserSettings.problem("https:// bad")).isNotNull();
  }

  /** analytics.js 2.0 posts each call type to its initial and batches to /v1/b, text/plain, key in the body. */
  @Test
  void theLibrarysShortPathsAreTheCallsOfTheContract(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      sendText(gw, "/v1/p", "{\"anonymousId\":\"a-1\",\"name\":\"Home\"}");
      sendText(gw, "/v1/s", "{\"userId\":\"u-1\",\"name\":\"Settings\"}");
      sendText(gw, "/v1/t/", "{\"userId\":\"u-1\",\"event\":\"Short Track\"}");
      sendText(gw, "/v1/i", "{\"userId\":\"u-1\",\"traits\":{\"plan\":\"pro\"}}");
      sendText(gw, "/v1/g", "{\"userId\":\"u-2\",\"groupId\":\"g-1\",\"traits\":{\"name\":\"Initech\"}}");
      sendText(gw, "/v1/a", "{\"userId\":\"u-3\",\"previousId\":\"a-3\"}");
      sendText(gw, "/v1/b", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u-4\",\"event\":\"Batched\"}],"
          + "\"sentAt\":\"2026-12-03T12:00:00.000Z\"}");
      eventually(WAIT, "every call at Indicative", () -> named(gw, "Page View Home")
          && named(gw, "Screen View Settings") && named(gw, "Short Track") && named(gw, "Batched")
          && gw.simulator.identifies().size() >= 2 && !gw.simulator.aliases().isEmpty());
      assertThat(gw.simulator.identifies()).anySatisfy(i -> assertThat(i.getJsonObject("properties"))
          .isEqualTo(new JsonObject().put("plan", "pro")));
      assertThat(gw.simulator.identifies()).anySatisfy(i -> assertThat(i.getJsonObject("properties"))
          .isEqualTo(new JsonObject().put("groupId", "g-1").put("group.name", "Initech")));
      assertThat(gw.simulator.aliases()).extracting(a -> a.getString("previousId") + "->" + a.getString("newId"))
          .contains("a-3->u-3");
      // the one-letter path sets the type, as the long one does: a track without event is refused
      HttpResponse<Buffer> invalid = gw.post("/v1/t").sendBuffer(Buffer.buffer(
          "{\"writeKey\":\"" + WRITE_KEY + "\",\"userId\":\"u\"}")).await(10, TimeUnit.SECONDS);
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(gw.post("/v1/x", WRITE_KEY).sendBuffer(Buffer.buffer("{}")).await(10, TimeUnit.SECONDS)
          .statusCode()).isEqualTo(404);
    }
  }

  private static void sendText(GatewayHarness gw, String path, String message) throws Exception {
    JsonObject body = new JsonObject(message).put("writeKey", WRITE_KEY);
    HttpResponse<Buffer> response = gw.post(path).putHeader("Content-Type", "text/plain;charset=UTF-8")
        .putHeader("Origin", ORIGIN).sendBuffer(body.toBuffer()).await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as("%s: %s", path, response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isIn("*", ORIGIN);
  }

  private static boolean named(GatewayHarness gw, String name) {
    return gw.simulator.events().stream().anyMatch(e -> name.equals(e.getString("eventName")));
  }

  @Test
  void preflightsAllowWhatTheLibrarySends(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      HttpResponse<Buffer> preflight = gw.client.request(HttpMethod.OPTIONS, gw.port, "127.0.0.1", "/v1/t")
          .putHeader("Origin", ORIGIN)
          .putHeader("Access-Control-Request-Method", "POST")
          .putHeader("Access-Control-Request-Headers", "authorization,content-type,x-retry-count")
          .send().await(10, TimeUnit.SECONDS);
      assertThat(preflight.statusCode()).isIn(200, 204);
      assertThat(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase())
          .contains("authorization", "content-type", "x-retry-count");
      assertThat(preflight.getHeader("Access-Control-Allow-Credentials")).isNull();
    }
  }

  @Test
  void aRefusedOriginGetsTheUsualJsonErrorAndAnAllowedOneGoesOn(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_CORS_ORIGINS", ORIGIN))) {
      for (HttpMethod method : List.of(HttpMethod.OPTIONS, HttpMethod.POST)) {
        HttpRequest<Buffer> request = gw.client.request(method, gw.port, "127.0.0.1", "/v1/t")
            .putHeader("Origin", "https://elsewhere.example.org");
        if (method == HttpMethod.OPTIONS) {
          request.putHeader("Access-Control-Request-Method", "POST")
              .putHeader("Access-Control-Request-Headers", "authorization,content-type");
        }
        HttpResponse<Buffer> refused = (method == HttpMethod.POST
            ? request.sendBuffer(new JsonObject().put("writeKey", WRITE_KEY).put("userId", "u")
                .put("event", "Refused").toBuffer())
            : request.send()).await(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).as("%s from a refused origin", method).isEqualTo(403);
        assertThat(refused.getHeader("Content-Type")).startsWith("application/json");
        assertThat(refused.bodyAsJsonObject().getBoolean("success")).isFalse();
        assertThat(refused.bodyAsJsonObject().getString("error")).contains("origin");
        assertThat(refused.getHeader("Access-Control-Allow-Origin")).isNull();
        assertThat(refused.getHeader("Access-Control-Allow-Methods")).isNull();
      }
      HttpResponse<Buffer> preflight = gw.client.request(HttpMethod.OPTIONS, gw.port, "127.0.0.1", "/v1/t")
          .putHeader("Origin", ORIGIN).putHeader("Access-Control-Request-Method", "POST")
          .send().await(10, TimeUnit.SECONDS);
      assertThat(preflight.statusCode()).isIn(200, 204);
      assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
      sendText(gw, "/v1/t", "{\"userId\":\"u\",\"event\":\"Allowed\"}");
      // everything stored has been delivered by now, and the refused origin's event is not among it
      eventually(WAIT, "the allowed event delivered and the store empty", () -> gw.simulator.events().stream()
          .anyMatch(e -> "Allowed".equals(e.getString("eventName"))) && gw.gateway.store().undeliveredCount() == 0);
      assertThat(gw.simulator.events()).noneMatch(e -> "Refused".equals(e.getString("eventName")));
    }
  }

  /** A page can read why it was refused and when to come back: CORS headers on 429 and 503 answers too. */
  @Test
  void theRateLimitAnswerIsReadableByThePage(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_RATE_LIMIT_PER_SECOND", "1",
        "GATEWAY_RATE_LIMIT_BURST", "1"))) {
      HttpResponse<Buffer> limited = null;
      for (int i = 0; i < 5 && limited == null; i++) {
        HttpResponse<Buffer> response = postFromPage(gw, new JsonObject().put("userId", "u").put("event", "Busy"));
        if (response.statusCode() == 429) {
          limited = response;
        }
      }
      assertThat(limited).as("a 429 within 5 calls at 1 per second").isNotNull();
      assertThat(limited.getHeader("Retry-After")).isNotNull();
      assertThat(limited.getHeader("RateLimit")).isNotNull();
      assertThat(limited.getHeader("RateLimit-Policy")).isNotNull();
      assertReadableByThePage(limited);
    }
  }

  @Test
  void theFullStoreAnswerIsReadableByThePage(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of(
        "GATEWAY_STORE_MAX_BYTES", Integer.toString(1 << 20), "GATEWAY_RETRY_AFTER_SECONDS", "7"))) {
      gw.simulator.failAlways(503); // nothing drains
      HttpResponse<Buffer> refused = null;
      for (int request = 0; request < 100 && refused == null; request++) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 50; i++) {
          batch.add(new JsonObject().put("type", "track").put("userId", "u").put("event", "Fill")
              .put("properties", new JsonObject().put("padding", "p".repeat(400))));
        }
        HttpResponse<Buffer> response = gw.post("/v1/b").putHeader("Origin", ORIGIN)
            .putHeader("Content-Type", "text/plain;charset=UTF-8")
            .sendBuffer(new JsonObject().put("writeKey", WRITE_KEY).put("batch", batch).toBuffer())
            .await(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
          refused = response;
        }
      }
      assertThat(refused).as("a 503 once the store is full").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.getHeader("Retry-After")).isEqualTo("7");
      assertReadableByThePage(refused);
    }
  }

  private static HttpResponse<Buffer> postFromPage(GatewayHarness gw, JsonObject message) throws Exception {
    return gw.post("/v1/t").putHeader("Origin", ORIGIN).putHeader("Content-Type", "text/plain;charset=UTF-8")
        .sendBuffer(message.copy().put("writeKey", WRITE_KEY).toBuffer()).await(10, TimeUnit.SECONDS);
  }

  /** Allowed for the page's origin, with Retry-After and the RateLimit headers exposed to its script. */
  private static void assertReadableByThePage(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isIn("*", ORIGIN);
    assertThat(List.of(response.getHeader("Access-Control-Expose-Headers").toLowerCase().split("\\s*,\\s*")))
        .as("Access-Control-Expose-Headers").contains("retry-after", "ratelimit", "ratelimit-policy");
  }

  /** The message as stored: Indicative refuses the event by name, so the gateway keeps it in its dead letters. */
  private static JsonObject stored(GatewayHarness gw, String event) throws Exception {
    eventually(WAIT, event + " in the dead letters", () -> find(gw, event) != null);
    return find(gw, event);
  }

  private static JsonObject find(GatewayHarness gw, String event) {
    return gw.gateway.store().deadLetters(DeadLetter.Kind.UNDELIVERABLE, 0, 100).stream()
        .map(entry -> entry.getValue().message()).filter(m -> event.equals(m.getString("event")))
        .findFirst().orElse(null);
  }

  private static void track(GatewayHarness gw, String event, Map<String, String> headers) throws Exception {
    gw.simulator.poisonEventName(event);
    HttpRequest<Buffer> request = gw.post("/v1/track", WRITE_KEY).putHeader("Content-Type", "application/json");
    headers.forEach(request::putHeader);
    assertThat(request.sendBuffer(new JsonObject().put("userId", "u").put("event", event).toBuffer())
        .await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void theClientAddressComesFromTheConnectionAndTheHeaderIsIgnoredUnlessTheProxyIsTrusted(Vertx vertx,
      @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      track(gw, "Direct", Map.of("X-Forwarded-For", "198.51.100.23"));
      assertThat(stored(gw, "Direct").getJsonObject("context").getString("ip")).isEqualTo("127.0.0.1");

      gw.simulator.poisonEventName("Own Address");
      assertThat(gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u").put("event", "Own Address")
          .put("context", new JsonObject().put("ip", "203.0.113.50"))).statusCode()).isEqualTo(200);
      assertThat(stored(gw, "Own Address").getJsonObject("context").getString("ip")).as("the client's own wins")
          .isEqualTo("203.0.113.50");
    }
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsRecorded(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_TRUSTED_PROXIES",
        "127.0.0.1, 10.0.0.0/8"))) {
      track(gw, "Proxied", Map.of("X-Forwarded-For", "192.0.2.1, 198.51.100.23, 10.1.1.1"));
      assertThat(stored(gw, "Proxied").getJsonObject("context").getString("ip")).isEqualTo("198.51.100.23");
      track(gw, "Proxied Without Header", Map.of());
      assertThat(stored(gw, "Proxied Without Header").getJsonObject("context").getString("ip"))
          .isEqualTo("127.0.0.1");
    }
  }

  @Test
  void aBrowsersUserAgentDescribesTheDeviceWhenTheMessageHasNone(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      sendWithUserAgent(gw, "From A Page", CHROME, ORIGIN);
      sendWithUserAgent(gw, "From A Server", "analytics-node-next/1.74.0", null);
      sendWithUserAgent(gw, "Browser Agent Without Origin", CHROME, null);
      eventually(WAIT, "the three events", () -> named(gw, "From A Page") && named(gw, "From A Server")
          && named(gw, "Browser Agent Without Origin"));
      JsonObject page = properties(gw, "From A Page");
      assertThat(page.getString("browser")).isEqualTo("Chrome");
      assertThat(page.getString("os")).startsWith("Windows");
      assertThat(properties(gw, "From A Server").containsKey("browser")).isFalse();
      assertThat(properties(gw, "Browser Agent Without Origin").containsKey("browser")).isFalse();
      for (JsonObject event : gw.simulator.events()) {
        assertThat(event.getJsonObject("properties").containsKey("ip")).isFalse();
      }
    }
  }

  private static void sendWithUserAgent(GatewayHarness gw, String event, String userAgent, String origin)
      throws Exception {
    HttpRequest<Buffer> request = gw.post("/v1/track", WRITE_KEY).putHeader("User-Agent", userAgent);
    if (origin != null) {
      request.putHeader("Origin", origin);
    }
    assertThat(request.sendBuffer(new JsonObject().put("userId", "u").put("event", event).toBuffer())
        .await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  private static JsonObject properties(GatewayHarness gw, String event) {
    return gw.simulator.events().stream().filter(e -> event.equals(e.getString("eventName"))).findFirst()
        .orElseThrow().getJsonObject("properties");
  }
}
