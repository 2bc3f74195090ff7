package io.indicativegateway.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Indicative endpoints. One instance serves every event loop: it keeps no per-request state, and what it
 * shares ({@link Recorder}, {@link Behaviors}) is thread-safe.
 *
 * <p>Order of checks for a request: body size (413, before this handler), injected failure, throttling,
 * Content-Type and JSON (400), {@code apiKey} (400, then 401), the endpoint's fields (400), poisoned event names
 * (400). The delay applies to every answer. Each body is parsed once; nothing is logged per request.
 */
final class ServiceHandler {

  /** The Indicative endpoints, by path below the base path. */
  enum Endpoint {
    EVENT_BATCH("/event/batch", ItemKind.EVENTS),
    EVENT("/event", ItemKind.EVENTS),
    IDENTIFY("/identify", ItemKind.IDENTIFIES),
    ALIAS("/alias", ItemKind.ALIASES);

    final String path;
    final ItemKind kind;

    Endpoint(String path, ItemKind kind) {
      this.path = path;
      this.kind = kind;
    }
  }

  static final String BASE_PATH = "/service";
  static final String CLIENT_HEADER = "Indicative-Client";

  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
  private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  private final Recorder recorder;
  private final Behaviors behaviors;
  private final RequestValidator validator;
  private final Set<String> validApiKeys;

  ServiceHandler(SimulatorOptions options, Recorder recorder, Behaviors behaviors) {
    this.recorder = recorder;
    this.behaviors = behaviors;
    this.validator = new RequestValidator(options.getMaxEventsPerBatch(), options.getMaxStringLength());
    this.validApiKeys = options.getValidApiKeys();
  }

  void handle(RoutingContext ctx, Endpoint endpoint) {
    HttpServerRequest request = ctx.request();
    long receivedAt = System.currentTimeMillis();
    long delay = behaviors.delayMs();

    JsonObject body = null;
    String error = contentTypeError(request.getHeader(HttpHeaders.CONTENT_TYPE));
    Buffer raw = ctx.body().buffer();
    if (error == null) {
      try {
        Object parsed = raw == null || raw.length() == 0 ? null : raw.toJsonValue();
        if (parsed instanceof JsonObject object) {
          body = object;
        } else {
          error = "body must be a JSON object";
        }
      } catch (DecodeException e) {
        error = "body is not valid JSON";
      }
    }
    String apiKey = body != null && body.getValue("apiKey") instanceof String key ? key : null;
    int eventCount = eventCount(endpoint, body);
    Request r = new Request(ctx, request.path(), apiKey, eventCount, request.getHeader(CLIENT_HEADER), receivedAt,
        delay);

    Behaviors.Fault fault = behaviors.nextFault();
    if (fault != null) {
      reject(r, fault.status, fault.status == 429 ? "too many requests (simulated throttling)"
          : "simulated failure (status " + fault.status + ")", fault.status == 429 ? fault.retryAfterSeconds : -1);
      return;
    }
    if (error != null) {
      reject(r, 400, error, -1);
      return;
    }
    if (apiKey == null || apiKey.isEmpty()) {
      reject(r, 400, "apiKey must be a non-empty string", -1);
      return;
    }
    if (!validApiKeys.isEmpty() && !validApiKeys.contains(apiKey)) {
      reject(r, 401, "apiKey is not a valid project key", -1);
      return;
    }
    error = switch (endpoint) {
      case EVENT_BATCH -> validator.batch(body);
      case EVENT -> validator.event(body);
      case IDENTIFY -> validator.identify(body);
      case ALIAS -> validator.alias(body);
    };
    if (error == null && (endpoint == Endpoint.EVENT_BATCH || endpoint == Endpoint.EVENT)) {
      error = poisonError(endpoint, body);
    }
    if (error != null) {
      reject(r, 400, error, -1);
      return;
    }
    int items = endpoint == Endpoint.EVENT_BATCH ? eventCount : 1;
    Behaviors.Misbehavior misbehavior = behaviors.nextMisbehavior(apiKey);
    if (misbehavior == Behaviors.Misbehavior.RESET || misbehavior == Behaviors.Misbehavior.HANG) {
      recorder.record(r.record(0, "simulated " + misbehavior.name().toLowerCase()), null, null, false, 0);
      if (misbehavior == Behaviors.Misbehavior.RESET) {
        HttpServerResponse response = ctx.response().setStatusCode(200).setChunked(true);
        response.write("{\"success\":").onComplete(done -> request.connection().close());
      }
      return; // HANG: no answer at all
    }
    if (misbehavior == Behaviors.Misbehavior.HUGE_REFUSAL) {
      recorder.record(r.record(400, "simulated huge refusal"), null, null, false, 0);
      send(r, 400, HugeAnswer.REFUSAL.copy(), -1);
      return;
    }
    recorder.record(r.record(200, null), endpoint.kind, raw, endpoint == Endpoint.EVENT_BATCH, items);
    if (misbehavior == Behaviors.Misbehavior.HUGE) {
      send(r, 200, HugeAnswer.BODY.copy(), -1);
    } else if (misbehavior == Behaviors.Misbehavior.GARBAGE) {
      send(r, 200, Buffer.buffer("<html>not json</html>"), -1);
    } else {
      send(r, 200, Buffer.buffer(SUCCESS), -1);
    }
  }

  /** 10 MB answers, for clients that would read a whole answer into memory; built only when first used. */
  private static final class HugeAnswer {
    static final Buffer BODY = Buffer.buffer("{\"success\":true,\"padding\":\"" + "x".repeat(10 << 20) + "\"}");
    static final Buffer REFUSAL = Buffer.buffer("{\"success\":false,\"message\":\"simulated huge refusal\","
        + "\"padding\":\"" + "x".repeat(10 << 20) + "\"}");
  }

  /** Answers a request that failed before reaching {@link #handle} (413 from the body reader, 404, 405, 500). */
  void handleFailure(RoutingContext ctx, int status, String message) {
    HttpServerRequest request = ctx.request();
    Request r = new Request(ctx, request.path(), null, 0, request.getHeader(CLIENT_HEADER),
        System.currentTimeMillis(), behaviors.delayMs());
    reject(r, status, message, -1);
  }

  private void reject(Request r, int status, String message, int retryAfterSeconds) {
    recorder.record(r.record(status, message), null, null, false, 0);
    send(r, status, errorBody(message), retryAfterSeconds);
  }

  private static void send(Request r, int status, Buffer body, int retryAfterSeconds) {
    HttpServerResponse response = r.ctx.response();
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
    if (retryAfterSeconds >= 0) {
      response.putHeader(RETRY_AFTER, Integer.toString(retryAfterSeconds));
    }
    if (r.delayMs > 0) {
      r.ctx.vertx().setTimer(r.delayMs, id -> end(response, body));
    } else {
      end(response, body);
    }
  }

  private static void end(HttpServerResponse response, Buffer body) {
    if (!response.ended() && !response.closed()) {
      response.end(body);
    }
  }

  static Buffer errorBody(String message) {
    return new JsonObject().put("success", false).put("message", message).toBuffer();
  }

  /** {@code null} when the Content-Type is {@code application/json}, with or without parameters. */
  static String contentTypeError(String contentType) {
    if (contentType != null) {
      int semicolon = contentType.indexOf(';');
      String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
      if (mediaType.equalsIgnoreCase("application/json")) {
        return null;
      }
    }
    return "Content-Type must be application/json, got " + (contentType == null ? "none" : contentType);
  }

  private static int eventCount(Endpoint endpoint, JsonObject body) {
    return switch (endpoint) {
      case EVENT_BATCH -> body != null && body.getValue("events") instanceof JsonArray events ? events.size() : 0;
      case EVENT -> body != null ? 1 : 0;
      default -> 0;
    };
  }

  private String poisonError(Endpoint endpoint, JsonObject body) {
    Set<String> poisoned = behaviors.poisonedNames();
    if (poisoned.isEmpty()) {
      return null;
    }
    if (endpoint == Endpoint.EVENT) {
      return poisoned.contains(body.getString("eventName")) ? poisonMessage("event", body.getMap()) : null;
    }
    List<?> events = body.getJsonArray("events").getList();
    for (int i = 0; i < events.size(); i++) {
      Map<?, ?> event = events.get(i) instanceof JsonObject json ? json.getMap() : (Map<?, ?>) events.get(i);
      if (poisoned.contains(event.get("eventName"))) {
        return poisonMessage("events[" + i + "]", event);
      }
    }
    return null;
  }

  private static String poisonMessage(String where, Map<?, ?> event) {
    return where + " (eventName \"" + event.get("eventName") + "\", eventUniqueId \"" + event.get("eventUniqueId")
        + "\") is rejected: its eventName is poisoned";
  }

  /** What is known of a request when answering it. */
  private record Request(RoutingContext ctx, String path, String apiKey, int eventCount, String client,
                         long receivedAt, long delayMs) {

    RecordedRequest record(int status, String message) {
      return new RecordedRequest(path, status, apiKey, eventCount, client, receivedAt, message);
    }
  }
}
