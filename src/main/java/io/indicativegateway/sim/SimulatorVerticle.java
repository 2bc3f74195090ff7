package io.indicativegateway.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Deploys an {@link IndicativeSimulator} as a verticle: with the given options, or else from the deployment's
 * config (the format of {@link SimulatorOptions#toJson()}). Undeploying it closes the simulator.
 */
public final class SimulatorVerticle extends VerticleBase {

  private final SimulatorOptions options;
  private volatile IndicativeSimulator simulator;

  /** Options from the deployment config. */
  public SimulatorVerticle() {
    this(null);
  }

  public SimulatorVerticle(SimulatorOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    SimulatorOptions effective = options != null ? options : new SimulatorOptions(config());
    return IndicativeSimulator.start(vertx, effective).onSuccess(started -> simulator = started);
  }

  @Override
  public Future<?> stop() {
    IndicativeSimulator started = simulator;
    return started == null ? Future.succeededFuture() : started.close();
  }

  /** The running simulator; {@code null} before the deployment completed. */
  public IndicativeSimulator simulator() {
    return simulator;
  }
}
