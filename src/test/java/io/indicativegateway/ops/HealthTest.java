package io.indicativegateway.ops;

import static io.indicativegateway.GatewayHarness.OTHER_PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.OTHER_WRITE_KEY;
import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class HealthTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static HttpResponse<Buffer> ready(GatewayHarness gw) throws Exception {
    return gw.client.get(gw.port, "127.0.0.1", "/health/ready").send().await(10, TimeUnit.SECONDS);
  }

  private static JsonObject check(HttpResponse<Buffer> response, String id) {
    return response.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow();
  }

  @Test
  void readinessGoesDownWhileTheStoreDirectoryCannotBeWrittenAndComesBack(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      assertThat(ready(gw).statusCode()).isEqualTo(200);
      assertThat(gw.client.get(gw.port, "127.0.0.1", "/health/live").send().await(10, TimeUnit.SECONDS)
          .statusCode()).isEqualTo(200);
      assumeTrue(makeUnwritable(dir), "skipped: cannot make a directory unwritable here");
      try {
        HttpResponse<Buffer> down = ready(gw);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
        JsonObject store = check(down, "store");
        assertThat(store.getString("status")).isEqualTo("DOWN");
        assertThat(store.getJsonObject("data").getString("error")).contains("not writable");
        assertThat(check(down, "lifecycle").getString("status")).isEqualTo("UP");
        assertThat(gw.client.get(gw.port, "127.0.0.1", "/health/live").send().await(10, TimeUnit.SECONDS)
            .statusCode()).isEqualTo(200); // alive, just not ready
      } finally {
        makeWritable(dir);
      }
      assertThat(ready(gw).statusCode()).isEqualTo(200);
    }
  }

  /**
   * The real stop path: a readiness request already received when stop() begins is answered 503 "shutting down".
   * Two readiness requests are pipelined on one connection while the worker pool is held, so the first waits for
   * its store check and the second is queued behind it; stop() starts, the pool is freed, and the second is
   * answered during the stop (the server finishes what it received before it closes the connection).
   */
  @Test
  void readinessGoesDownAsSoonAsShutdownStarts(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of());
         Socket socket = new Socket("127.0.0.1", gw.port)) {
      assertThat(ready(gw).statusCode()).isEqualTo(200);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch poolHeld = new CountDownLatch(WORKER_POOL_SIZE);
      for (int i = 0; i < WORKER_POOL_SIZE; i++) {
        vertx.executeBlocking(() -> {
          poolHeld.countDown();
          return release.await(20, TimeUnit.SECONDS);
        }, false);
      }
      assertThat(poolHeld.await(10, TimeUnit.SECONDS)).isTrue();
      socket.setSoTimeout(15_000);
      String get = "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      socket.getOutputStream().write((get + get).getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Thread.sleep(300); // both requests reach the server, the first waits for a worker

      Future<Void> stopping = gw.gateway.stop();
      gw.gateway = null; // stopped here, not again when the harness closes
      release.countDown();
      InputStream in = socket.getInputStream();
      readResponse(in); // received before stop(): whatever it says
      RawResponse during = readResponse(in);
      stopping.await(30, TimeUnit.SECONDS);

      assertThat(during.status()).isEqualTo(503);
      JsonObject lifecycle = during.body().getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> "lifecycle".equals(c.getString("id"))).findFirst().orElseThrow();
      assertThat(lifecycle.getString("status")).isEqualTo("DOWN");
      assertThat(lifecycle.getJsonObject("data").getString("reason")).isEqualTo("shutting down");
    }
  }

  /** Vert.x's default worker pool, which the readiness store check runs on. */
  private static final int WORKER_POOL_SIZE = 20;

  private record RawResponse(int status, JsonObject body) {}

  /** One HTTP/1.1 response with a Content-Length body. */
  private static RawResponse readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    int length = 0;
    for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
      if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]),
        new JsonObject(new String(body, StandardCharsets.UTF_8)));
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the connection closed mid-response: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Test
  void aRefusedProjectKeyIsReportedAndHeldWhileOtherProjectsFlow(Vertx vertx, @TempDir Path dir)
      throws Exception {
    SimulatorOptions onlyOneKeyValid = new SimulatorOptions().setValidApiKeys(List.of(PROJECT_KEY));
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of(), onlyOneKeyValid)) {
      assertThat(gw.send("/v1/track", OTHER_WRITE_KEY, new JsonObject().put("userId", "u")
          .put("event", "Held")).statusCode()).isEqualTo(200);
      eventually(WAIT, "the circuit of the refused project to open", () -> refusedProjectReported(gw));
      // the other configured project can still deliver: ready, before it has sent anything
      assertThat(ready(gw).statusCode()).isEqualTo(200);

      assertThat(gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u")
          .put("event", "Flows")).statusCode()).isEqualTo(200);
      eventually(WAIT, "the other project's event delivered", () -> gw.simulator.events().stream()
          .anyMatch(e -> "Flows".equals(e.getString("eventName"))));
      assertThat(ready(gw).statusCode()).isEqualTo(200);
      JsonObject indicative = check(ready(gw), "indicative");
      assertThat(indicative.encode()).doesNotContain(OTHER_PROJECT_KEY); // masked
      assertThat(gw.simulator.events()).noneMatch(e -> "Held".equals(e.getString("eventName")));
      assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(1); // the refused project's message is kept
    }
  }

  @Test
  void readinessGoesDownWhenIndicativeRefusesEveryConfiguredProject(Vertx vertx, @TempDir Path dir)
      throws Exception {
    SimulatorOptions onlyAnotherKeyValid = new SimulatorOptions().setValidApiKeys(List.of(PROJECT_KEY));
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir,
        Map.of("GATEWAY_SOURCES", OTHER_WRITE_KEY + "=" + OTHER_PROJECT_KEY), onlyAnotherKeyValid)) {
      assertThat(ready(gw).statusCode()).isEqualTo(200);
      assertThat(gw.send("/v1/track", OTHER_WRITE_KEY, new JsonObject().put("userId", "u")
          .put("event", "Held")).statusCode()).isEqualTo(200);
      eventually(WAIT, "the circuit of the refused project to open", () -> refusedProjectReported(gw));
      HttpResponse<Buffer> down = ready(gw);
      assertThat(down.statusCode()).isEqualTo(503); // nothing accepted now could be delivered
      assertThat(check(down, "indicative").getString("status")).isEqualTo("DOWN");
      assertThat(check(down, "lifecycle").getString("status")).isEqualTo("UP");
    }
  }

  private static boolean refusedProjectReported(GatewayHarness gw) throws Exception {
    JsonObject indicative = check(ready(gw), "indicative");
    return indicative.getJsonObject("data").getJsonArray("projects").stream().map(JsonObject.class::cast)
        .anyMatch(p -> "OPEN".equals(p.getString("circuit")) && p.getString("problem") != null
            && p.getString("problem").contains("401"));
  }

  /** As root, permissions do not stop writes; the immutable attribute does. */
  static boolean makeUnwritable(Path dir) throws Exception {
    Process p = new ProcessBuilder("chattr", "+i", dir.toString()).redirectErrorStream(true).start();
    if (!(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)) {
      dir.toFile().setWritable(false, false);
    }
    try {
      Files.delete(Files.createTempFile(dir, "probe", null));
      makeWritable(dir);
      return false;
    } catch (Exception expected) {
      return true;
    }
  }

  static void makeWritable(Path dir) throws Exception {
    new ProcessBuilder("chattr", "-i", dir.toString()).redirectErrorStream(true).start().waitFor(10,
        TimeUnit.SECONDS);
    dir.toFile().setWritable(true, false);
  }
}
