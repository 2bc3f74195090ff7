package io.indicativegateway.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/** Blocking HTTP helpers for tests (called from the JUnit thread, never from an event loop). */
final class SimulatorHttp {

  static final long TIMEOUT_SECONDS = 20;

  private final WebClient client;
  private final IndicativeSimulator simulator;

  SimulatorHttp(Vertx vertx, IndicativeSimulator simulator) {
    this(vertx, simulator, 5);
  }

  SimulatorHttp(Vertx vertx, IndicativeSimulator simulator, int connections) {
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true), 
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(connections));
    this.simulator = simulator;
  }

  WebClient client() {
    return client;
  }

  /** POSTs {@code body} as {@code application/json} to {@code baseUrl() + path}. */
  HttpResponse<Buffer> post(String path, JsonObject body) {
    return await(postAsync(path, body));
  }

  Future<HttpResponse<Buffer>> postAsync(String path, JsonObject body) {
    return client.postAbs(simulator.baseUrl() + path)
        .putHeader("Content-Type", "application/json")
        .putHeader("Indicative-Client", "simulator-tests/1.0")
        .sendBuffer(body.toBuffer());
  }

  /** POSTs raw bytes with the given Content-Type ({@code null}: no Content-Type header). */
  HttpResponse<Buffer> postRaw(String path, String contentType, Buffer body) {
    var request = client.postAbs(simulator.baseUrl() + path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(request.sendBuffer(body));
  }

  HttpResponse<Buffer> control(String method, String pathAndQuery, JsonObject body) {
    var request = client.requestAbs(io.vertx.core.http.HttpMethod.valueOf(method),
        simulator.controlUrl() + pathAndQuery);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  JsonArray received(String query) {
    HttpResponse<Buffer> response = control("GET", "/received" + query, null);
    if (response.statusCode() != 200) {
      throw new AssertionError("received" + query + " answered " + response.statusCode() + " "
          + response.bodyAsString());
    }
    return response.bodyAsJsonArray();
  }

  void close() {
    client.close();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  static JsonObject event(String name, String uniqueId, long time, JsonObject properties) {
    return new JsonObject()
        .put("eventName", name)
        .put("eventUniqueId", uniqueId)
        .put("eventTime", time)
        .put("properties", properties);
  }

  static JsonObject batch(String apiKey, JsonObject... events) {
    JsonArray array = new JsonArray();
    for (JsonObject event : events) {
      array.add(event);
    }
    return new JsonObject().put("apiKey", apiKey).put("events", array);
  }
}
