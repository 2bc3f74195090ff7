package io.indicativegateway.deliver;

import io.indicativegateway.config.DeliverySettings;
import io.indicativegateway.config.Source;
import io.indicativegateway.ops.GatewayMetrics;
import io.indicativegateway.ops.ProjectStatus;
import io.indicativegateway.store.EventStore;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers stored messages to Indicative: one {@link ProjectPump} per Indicative project, woken when the store
 * commits new messages for it. Deployed as a single instance; its requests are asynchronous, so one event loop
 * carries many concurrent deliveries.
 */
public final class DeliveryVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DeliveryVerticle.class);
  /** Safety net: every pump looks at the store this often even without a notification. */
  private static final long SWEEP_MS = 1000;

  private final DeliverySettings settings;
  private final EventStore store;
  private final GatewayMetrics metrics;
  private final Map<Long, ProjectPump> pumps = new ConcurrentHashMap<>();
  private DeliveryRuntime runtime;
  private IndicativeClient client;
  private long sweepTimer;
  private volatile long stopDeadline;

  public DeliveryVerticle(DeliverySettings settings, EventStore store, GatewayMetrics metrics) {
    this.settings = settings;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    client = new IndicativeClient(vertx, settings);
    runtime = new DeliveryRuntime(vertx, settings, store, client, metrics);
    store.addAppendListener(this::onAppended);
    wakeAll();
    sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> wakeAll());
    log.info("delivering to {} ({} projects known)", settings.indicativeUrl(), store.projectIds().size());
    return Future.succeededFuture();
  }

  /** Makes the coming stop() finish delivering by this time (epoch millis) rather than after a full grace period. */
  public void stopBy(long epochMillis) {
    stopDeadline = epochMillis;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    long grace = stopDeadline == 0 ? settings.shutdownGraceMs()
        : Math.max(0, stopDeadline - System.currentTimeMillis());
    return runtime.drain(this::wakeAll, grace).onComplete(done -> client.close());
  }

  /** Called on the store's writer thread. */
  private void onAppended(Set<Long> projectIds) {
    context.runOnContext(v -> projectIds.forEach(id -> pump(id).wake()));
  }

  private void wakeAll() {
    store.projectIds().forEach(id -> pump(id).wake());
  }

  private ProjectPump pump(long projectId) {
    return pumps.computeIfAbsent(projectId, id -> {
      ProjectPump pump = new ProjectPump(runtime, id, store.projectKey(id));
      metrics.circuitGauge(pump.label(), pump.sender().breaker(), breaker -> switch (breaker.state()) {
        case CLOSED -> 0;
        case HALF_OPEN -> 1;
        case OPEN -> 2;
      });
      return pump;
    });
  }

  /** Circuit state per project (masked key). */
  public Map<String, CircuitBreakerState> breakerStates() {
    Map<String, CircuitBreakerState> states = new java.util.TreeMap<>();
    pumps.values().forEach(p -> states.put(p.label(), p.sender().breaker().state()));
    return states;
  }

  /**
   * How delivery to each project is going: every project with stored messages, and every configured project
   * (IDLE until it has something to send); safe to call from any thread.
   *
   * @param configuredProjectKeys the project keys of the enabled sources now configured
   */
  public List<ProjectStatus> projectStatuses(Set<String> configuredProjectKeys) {
    List<ProjectStatus> statuses = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ProjectPump pump : pumps.values()) {
      seen.add(pump.apiKey());
      statuses.add(new ProjectStatus(pump.label(), pump.sender().breaker().state().name(),
          pump.sender().authProblem(), configuredProjectKeys.contains(pump.apiKey())));
    }
    for (String key : configuredProjectKeys) {
      if (!seen.contains(key)) {
        statuses.add(new ProjectStatus(Source.mask(key), "IDLE", null, true));
      }
    }
    statuses.sort(Comparator.comparing(ProjectStatus::project));
    return statuses;
  }
}
