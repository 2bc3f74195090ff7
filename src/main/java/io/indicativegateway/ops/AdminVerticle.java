package io.indicativegateway.ops;

import io.indicativegateway.config.AdminSettings;
import io.indicativegateway.store.DeadLetter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP API, on its own port and only with a bearer token:
 *
 * <pre>
 * GET  /admin/status
 * GET  /admin/dead-letters?kind=undeliverable|rejected&amp;after=ID&amp;limit=N
 * GET  /admin/dead-letters/ID
 * POST /admin/dead-letters/replay   {"ids":[...]} or {"all":true}
 * POST /admin/dead-letters/purge    {"kind":"...","ids":[...]} or {"kind":"...","all":true}
 * </pre>
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);

  private final AdminSettings settings;
  private final DeadLetterService deadLetters;
  private final byte[] tokenDigest;
  private HttpServer server;

  public AdminVerticle(AdminSettings settings, DeadLetterService deadLetters) {
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.tokenDigest = digest(settings.token());
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route("/admin/*").handler(this::authorize);
    router.get("/admin/status").handler(ctx -> answer(ctx, deadLetters::status));
    router.get("/admin/dead-letters").handler(ctx -> answer(ctx, () -> deadLetters.list(
        DeadLetterService.kind(ctx.request().getParam("kind")),
        longParam(ctx, "after", 0), (int) longParam(ctx, "limit", 100))));
    router.get("/admin/dead-letters/:id").handler(ctx -> answer(ctx, () -> {
      JsonObject letter = deadLetters.show(Long.parseLong(ctx.pathParam("id")));
      if (letter == null) {
        throw new NotFound("no dead letter " + ctx.pathParam("id"));
      }
      return letter;
    }));
    router.post("/admin/dead-letters/*").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
    router.post("/admin/dead-letters/replay").handler(ctx -> answer(ctx, () -> {
      JsonObject body = body(ctx);
      return body.getBoolean("all", false) ? deadLetters.replayAll() : deadLetters.replay(ids(body));
    }));
    router.post("/admin/dead-letters/purge").handler(ctx -> answer(ctx, () -> {
      JsonObject body = body(ctx);
      DeadLetter.Kind kind = DeadLetterService.kind(body.getString("kind"));
      return body.getBoolean("all", false) ? deadLetters.purgeAll(kind) : deadLetters.purge(kind, ids(body));
    }));
    router.route().last().handler(ctx -> error(ctx, 404, "no such admin endpoint"));
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(settings.port(), settings.host())
        .onSuccess(s -> {
          server = s;
          log.info("admin API on {}:{}", settings.host(), s.actualPort());
        })
        .recover(e -> Future.failedFuture("cannot listen on " + settings.host() + ":" + settings.port()
            + " (GATEWAY_ADMIN_PORT): " + e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server.actualPort();
  }

  private void authorize(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim() : "";
    if (!MessageDigest.isEqual(digest(presented), tokenDigest)) {
      error(ctx, 401, "send the admin token as 'Authorization: Bearer <token>'");
      return;
    }
    ctx.next();
  }

  /** Runs the store work on a worker thread and answers with its JSON. */
  private void answer(RoutingContext ctx, Callable<JsonObject> work) {
    vertx.executeBlocking(work, false).onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(done.result().toBuffer());
      } else if (done.cause() instanceof NotFound) {
        error(ctx, 404, done.cause().getMessage());
      } else if (done.cause() instanceof IllegalArgumentException || done.cause() instanceof ClassCastException) {
        error(ctx, 400, String.valueOf(done.cause().getMessage()));
      } else {
        log.error("admin request {} failed", ctx.request().path(), done.cause());
        error(ctx, 500, "failed: " + done.cause().getMessage());
      }
    });
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException("send a JSON object");
      }
      return body;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body must be a JSON object: " + e.getMessage());
    }
  }

  private static List<Long> ids(JsonObject body) {
    JsonArray ids = body.getJsonArray("ids");
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException("send {\"ids\":[...]} or {\"all\":true}");
    }
    List<Long> out = new ArrayList<>();
    for (Object id : ids) {
      if (!(id instanceof Number number)) {
        throw new IllegalArgumentException("ids must be numbers");
      }
      out.add(number.longValue());
    }
    return out;
  }

  private static long longParam(RoutingContext ctx, String name, long defaultValue) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? defaultValue : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("success", false).put("error", message).toBuffer());
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
