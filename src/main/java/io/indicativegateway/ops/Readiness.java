package io.indicativegateway.ops;

/** Where the gateway is in its life: traffic is welcome only between started and stopping. */
public final class Readiness {

  private volatile boolean started;
  private volatile boolean stopping;

  public void markStarted() {
    started = true;
  }

  public void markStopping() {
    stopping = true;
  }

  /** Why the gateway should not get traffic now, or null. */
  public String notReadyReason() {
    return !started ? "starting" : stopping ? "shutting down" : null;
  }
}
