package io.indicativegateway.ops;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison event lands in the dead letters with Indicative's answer while the rest is delivered; an operator
 * lists and inspects it, replays it once the cause is fixed, and purges what should go: through the admin API
 * and through the {@code dlq} command, online and offline.
 */
@ExtendWith(VertxExtension.class)
class DeadLetterOperationsTest {

  private static final String TOKEN = "a-long-enough-admin-token";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static GatewayHarness start(Vertx vertx, Path dir) throws Exception {
    return GatewayHarness.start(vertx, dir, Map.of("GATEWAY_ADMIN_TOKEN", TOKEN, "GATEWAY_ADMIN_PORT", "0"));
  }

  private static void sendPoisonedBatch(GatewayHarness gw, String poisonName) throws Exception {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 100; i++) {
      batch.add(new JsonObject().put("type", "track").put("userId", "u" + i).put("messageId", poisonName + "-" + i)
          .put("event", i == 42 ? poisonName : "Fine"));
    }
    assertThat(gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch)).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<Buffer> admin(GatewayHarness gw, String method, String path, JsonObject body,
                                            String token) throws Exception {
    var request = gw.client.request(io.vertx.core.http.HttpMethod.valueOf(method), gw.gateway.adminPort(),
        "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await(10, TimeUnit.SECONDS);
  }

  @Test
  void poisonIsDeadLetteredThenReplayedAfterTheFixAndPurgeRemoves(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (GatewayHarness gw = start(vertx, dir)) {
      gw.simulator.poisonEventName("Poison");
      sendPoisonedBatch(gw, "Poison");
      eventually(WAIT, "99 delivered", () -> gw.simulator.events().size() == 99);
      eventually(WAIT, "one dead letter", () -> !admin(gw, "GET", "/admin/dead-letters", null, TOKEN)
          .bodyAsJsonObject().getJsonArray("deadLetters").isEmpty());

      JsonArray listed = admin(gw, "GET", "/admin/dead-letters?kind=undeliverable", null, TOKEN)
          .bodyAsJsonObject().getJsonArray("deadLetters");
      assertThat(listed).hasSize(1);
      JsonObject summary = listed.getJsonObject(0);
      assertThat(summary.getString("reason")).isEqualTo("rejected-by-indicative");
      assertThat(summary.getString("messageId")).isEqualTo("Poison-42");
      assertThat(summary.getString("project")).doesNotContain(GatewayHarness.PROJECT_KEY);
      long id = summary.getLong("id");
      JsonObject full = admin(gw, "GET", "/admin/dead-letters/" + id, null, TOKEN).bodyAsJsonObject();
      assertThat(full.getString("detail")).startsWith("HTTP 400").contains("Poison"); // Indicative's answer
      assertThat(full.getJsonObject("message").getString("event")).isEqualTo("Poison");

      gw.simulator.clearBehaviors(); // the cause is fixed
      JsonObject replayed = admin(gw, "POST", "/admin/dead-letters/replay",
          new JsonObject().put("ids", new JsonArray().add(id)), TOKEN).bodyAsJsonObject();
      assertThat(replayed.getInteger("replayed")).isEqualTo(1);
      eventually(WAIT, "the replayed event delivered", () -> gw.simulator.events().stream()
          .anyMatch(e -> "Poison".equals(e.getString("eventName"))));
      assertThat(admin(gw, "GET", "/admin/dead-letters", null, TOKEN).bodyAsJsonObject()
          .getJsonArray("deadLetters")).isEmpty();

      gw.simulator.poisonEventName("Bad again");
      sendPoisonedBatch(gw, "Bad again");
      eventually(WAIT, "a new dead letter", () -> !admin(gw, "GET", "/admin/dead-letters", null, TOKEN)
          .bodyAsJsonObject().getJsonArray("deadLetters").isEmpty());
      JsonObject purged = admin(gw, "POST", "/admin/dead-letters/purge",
          new JsonObject().put("kind", "undeliverable").put("all", true), TOKEN).bodyAsJsonObject();
      assertThat(purged.getInteger("purged")).isEqualTo(1);
      assertThat(admin(gw, "GET", "/admin/dead-letters", null, TOKEN).bodyAsJsonObject()
          .getJsonArray("deadLetters")).isEmpty();
      assertThat(admin(gw, "GET", "/admin/status", null, TOKEN).bodyAsJsonObject().getLong("bytes"))
          .isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void theAdminApiWantsTheTokenAndAnswersBadRequestsClearly(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = start(vertx, dir)) {
      assertThat(admin(gw, "GET", "/admin/status", null, null).statusCode()).isEqualTo(401);
      assertThat(admin(gw, "GET", "/admin/status", null, TOKEN + "x").statusCode()).isEqualTo(401);
      assertThat(admin(gw, "GET", "/admin/dead-letters?kind=bogus", null, TOKEN).statusCode()).isEqualTo(400);
      assertThat(admin(gw, "GET", "/admin/dead-letters/123456", null, TOKEN).statusCode()).isEqualTo(404);
      assertThat(admin(gw, "POST", "/admin/dead-letters/replay", new JsonObject(), TOKEN).statusCode())
          .isEqualTo(400);
      // the ingestion port knows nothing of it
      assertThat(gw.client.get(gw.port, "127.0.0.1", "/admin/status").send().await(10, TimeUnit.SECONDS)
          .statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theDlqCommandWorksOnlineAndOffline(Vertx vertx, @TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>();
    try (GatewayHarness gw = start(vertx, dir)) {
      gw.simulator.poisonEventName("Poison");
      sendPoisonedBatch(gw, "Poison");
      eventually(WAIT, "one dead letter", () -> !admin(gw, "GET", "/admin/dead-letters", null, TOKEN)
          .bodyAsJsonObject().getJsonArray("deadLetters").isEmpty());
      env.put("GATEWAY_ADMIN_TOKEN", TOKEN);
      env.put("GATEWAY_ADMIN_URL", "http://127.0.0.1:" + gw.gateway.adminPort());
      String listed = run(env, 0, "dlq", "list");
      JsonObject line = new JsonObject(listed.trim());
      assertThat(line.getString("messageId")).isEqualTo("Poison-42");
      assertThat(new JsonObject(run(env, 0, "dlq", "show", line.getValue("id").toString()))
          .getJsonObject("message").getString("event")).isEqualTo("Poison");
      assertThat(run(Map.of(), 2, "dlq", "list")).isEmpty(); // no token: a clear usage error
      gw.stopGateway();
      // nothing listens any more: the error says where it looked and what to do
      assertThat(runForErrors(env, 1, "dlq", "list")).contains("cannot reach the admin API at "
          + env.get("GATEWAY_ADMIN_URL"), "--url", "--offline");
    }
    // offline: straight on the store, while no gateway runs on it
    Map<String, String> offline = Map.of("GATEWAY_DATA_DIR", dir.toString());
    String listed = run(offline, 0, "dlq", "list", "--offline");
    String id = new JsonObject(listed.trim()).getValue("id").toString();
    assertThat(new JsonObject(run(offline, 0, "dlq", "purge", id, "--offline")).getInteger("purged")).isEqualTo(1);
    assertThat(run(offline, 0, "dlq", "list", "--offline")).isEmpty();
    assertThat(run(offline, 2, "dlq", "replay", "--offline")).isEmpty(); // needs ids or --all
  }

  /** Runs the command; returns what it printed on stdout. */
  private static String run(Map<String, String> env, int expectedExit, String... args) {
    return runCommand(env, expectedExit, args)[0];
  }

  /** Runs the command; returns what it printed on stderr. */
  private static String runForErrors(Map<String, String> env, int expectedExit, String... args) {
    return runCommand(env, expectedExit, args)[1];
  }

  private static String[] runCommand(Map<String, String> env, int expectedExit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    int exit = new DeadLetterCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(rest);
    assertThat(exit).as("exit code; stderr: " + err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedExit);
    return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }
}
