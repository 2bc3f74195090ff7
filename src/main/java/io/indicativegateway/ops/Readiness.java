package io.indicativegateway.ops;

import io.vertx.core.json.JsonObject;

/**
 * Whether the gateway should receive traffic: not before it has started, and not once shutdown began. Load
 * balancers and Kubernetes read it from {@code /health/ready}.
 */
public final class Readiness {

  private volatile boolean started;
  private volatile boolean stopping;

  public void markStarted() {
    started = true;
  }

  public void markStopping() {
    stopping = true;
  }

  public boolean ready() {
    return started && !stopping;
  }

  public JsonObject liveJson() {
    return new JsonObject().put("status", "UP");
  }

  public JsonObject readyJson() {
    String reason = !started ? "starting" : stopping ? "shutting down" : null;
    JsonObject state = new JsonObject().put("status", reason == null ? "UP" : "DOWN");
    if (reason != null) {
      state.put("reason", reason);
    }
    return state;
  }
}
