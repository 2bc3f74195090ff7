package io.indicativegateway.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The {@code /_simulator/} control endpoints: stats, recorded items, behaviour controls, reset.
 *
 * <p>Reading recorded items decodes and encodes JSON, so it runs off the event loop.
 */
final class ControlHandler {

  static final String BASE_PATH = "/_simulator";
  static final int DEFAULT_PAGE = 1_000;
  static final int MAX_PAGE = 100_000;

  private final IndicativeSimulator simulator;

  ControlHandler(IndicativeSimulator simulator) {
    this.simulator = simulator;
  }

  void stats(RoutingContext ctx) {
    json(ctx, 200, simulator.stats().toJson().toBuffer());
  }

  /** {@code GET /_simulator/received?kind=events|identifies|aliases|requests&from=N&limit=M}: a JSON array. */
  void received(RoutingContext ctx) {
    String kindParam = param(ctx, "kind", "events");
    ItemKind kind = ItemKind.fromLabel(kindParam);
    if (kind == null && !kindParam.equals("requests")) {
      error(ctx, 400, "kind must be one of events, identifies, aliases, requests");
      return;
    }
    long from;
    int limit;
    try {
      from = Long.parseLong(param(ctx, "from", "0"));
      limit = Integer.parseInt(param(ctx, "limit", Integer.toString(DEFAULT_PAGE)));
    } catch (NumberFormatException e) {
      error(ctx, 400, "from and limit must be integers");
      return;
    }
    if (from < 0 || limit < 0 || limit > MAX_PAGE) {
      error(ctx, 400, "from must be >= 0 and limit 0.." + MAX_PAGE);
      return;
    }
    ctx.vertx().executeBlocking(() -> {
      JsonArray page = new JsonArray();
      if (kind == null) {
        simulator.recorder().requests(from, limit).forEach(r -> page.add(r.toJson()));
      } else {
        List<JsonObject> items = simulator.recorder().items(kind, from, limit);
        items.forEach(page::add);
      }
      return page.toBuffer();
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result());
      } else {
        error(ctx, 500, "could not read recorded items: " + ar.cause());
      }
    });
  }

  void getBehavior(RoutingContext ctx) {
    json(ctx, 200, simulator.behaviors().toBuffer());
  }

  /** {@code POST /_simulator/behavior}: applies the body (see {@link IndicativeSimulator#applyBehavior}). */
  void postBehavior(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    Object body;
    try {
      body = raw == null || raw.length() == 0 ? null : raw.toJsonValue();
    } catch (DecodeException e) {
      body = null;
    }
    if (!(body instanceof JsonObject json)) {
      error(ctx, 400, "body must be a JSON object");
      return;
    }
    try {
      simulator.applyBehavior(json);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    json(ctx, 200, simulator.behaviors().toBuffer());
  }

  void reset(RoutingContext ctx) {
    simulator.reset();
    json(ctx, 200, new JsonObject().put("success", true).toBuffer());
  }

  private static String param(RoutingContext ctx, String name, String defaultValue) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? defaultValue : value;
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, ServiceHandler.errorBody(message));
  }

  private static void json(RoutingContext ctx, int status, Buffer body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
  }
}
