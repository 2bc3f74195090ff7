package io.indicativegateway.sim;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Indicative's HTTP API ({@code https://api.indicative.com/service}) on a local port.
 *
 * <p>Endpoints, below {@link #baseUrl()}: {@code POST /event/batch}, {@code POST /event}, {@code POST /identify},
 * {@code POST /alias}. Valid requests are answered {@code 200 {"success":true}} and recorded; invalid ones
 * {@code 400 {"success":false,"message":"..."}} naming the field, 401 for an api key outside
 * {@link SimulatorOptions#setValidApiKeys}, 413 for bodies over {@link SimulatorOptions#setMaxBodyBytes}.
 * Failures, throttling, delays and poisoned event names can be switched on and off at run time, here or over HTTP
 * under {@link #controlUrl()}.
 *
 * <p>All methods are thread-safe. Reading methods return snapshots the caller owns.
 */
public final class IndicativeSimulator {

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final Recorder recorder;
  private final Behaviors behaviors = new Behaviors();
  private final ServiceHandler service;
  private static final AtomicInteger SHARED_RANDOM_PORT_IDS = new AtomicInteger();

  private final List<String> deployments = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile int port;

  private IndicativeSimulator(Vertx vertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.recorder = new Recorder(options.getMaxRecorded());
    this.service = new ServiceHandler(options, recorder, behaviors);
  }

  /**
   * Starts a simulator: {@link SimulatorOptions#getInstances()} HTTP servers sharing one port, each on its own event
   * loop. The future completes once every instance listens, and fails when the port cannot be bound.
   */
  public static Future<IndicativeSimulator> start(Vertx vertx, SimulatorOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    IndicativeSimulator simulator = new IndicativeSimulator(vertx, new SimulatorOptions(options));
    return simulator.deploy().map(simulator);
  }

  private Future<Void> deploy() {
    // Port 0 would give each instance its own random port. A negative port asks Vert.x for one random port shared
    // by every server listening with that same negative value: unique per simulator, so two simulators of one
    // Vertx instance never share a socket.
    int listenPort = options.getPort() != 0 ? options.getPort() : -SHARED_RANDOM_PORT_IDS.incrementAndGet();
    AtomicInteger bound = new AtomicInteger();
    return vertx.deployVerticle(
            () -> new SimulatorHttpVerticle(this, service, options.getHost(), listenPort, options.getMaxBodyBytes(),
                bound),
            new DeploymentOptions().setInstances(options.getInstances()))
        .map(id -> {
          addDeployment(id);
          port = bound.get();
          return null;
        });
  }

  private synchronized void addDeployment(String id) {
    deployments.add(id);
  }

  /** Stops listening. Idempotent; recordings stay readable. */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    List<String> ids;
    synchronized (this) {
      ids = List.copyOf(deployments);
    }
    // A deployment may already be gone (undeployed with a parent verticle): that is fine.
    List<Future<Void>> undeployed = ids.stream()
        .map(id -> vertx.undeploy(id).otherwiseEmpty())
        .toList();
    return Future.all(undeployed).mapEmpty();
  }

  /** The port the simulator listens on. */
  public int port() {
    return port;
  }

  public String host() {
    return options.getHost();
  }

  /** Indicative's base URL on this simulator, e.g. {@code http://127.0.0.1:41234/service}. */
  public String baseUrl() {
    return origin() + ServiceHandler.BASE_PATH;
  }

  /** Base URL of the control endpoints, e.g. {@code http://127.0.0.1:41234/_simulator}. */
  public String controlUrl() {
    return origin() + ControlHandler.BASE_PATH;
  }

  private String origin() {
    String host = options.getHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  /** A copy of the options the simulator runs with (port as configured, see {@link #port()}). */
  public SimulatorOptions options() {
    return new SimulatorOptions(options);
  }

  // ---- recordings ----

  /** Accepted events in arrival order, one entry per event, each with the request's {@code apiKey} added. */
  public List<JsonObject> events() {
    return recorder.items(ItemKind.EVENTS, 0, Integer.MAX_VALUE);
  }

  /** Accepted identify bodies ({@code apiKey, uniqueId, properties}) in arrival order. */
  public List<JsonObject> identifies() {
    return recorder.items(ItemKind.IDENTIFIES, 0, Integer.MAX_VALUE);
  }

  /** Accepted alias bodies ({@code apiKey, previousId, newId}) in arrival order. */
  public List<JsonObject> aliases() {
    return recorder.items(ItemKind.ALIASES, 0, Integer.MAX_VALUE);
  }

  /** Every request answered on the Indicative endpoints, accepted or not, in the order they were answered. */
  public List<RecordedRequest> requests() {
    return recorder.requests(0, Integer.MAX_VALUE);
  }

  public SimulatorStats stats() {
    return recorder.stats();
  }

  /**
   * Completes with the stats once at least {@code count} events were accepted (counted, stored or not), fails with a
   * {@link java.util.concurrent.TimeoutException} after {@code timeout}.
   */
  public Future<SimulatorStats> awaitAcceptedEvents(long count, Duration timeout) {
    Promise<SimulatorStats> promise = Promise.promise();
    long deadline = System.nanoTime() + timeout.toNanos();
    vertx.setPeriodic(0, 10, id -> {
      SimulatorStats stats = recorder.stats();
      if (stats.acceptedEvents() >= count) {
        vertx.cancelTimer(id);
        promise.tryComplete(stats);
      } else if (System.nanoTime() - deadline > 0) {
        vertx.cancelTimer(id);
        promise.tryFail(new java.util.concurrent.TimeoutException(
            "accepted " + stats.acceptedEvents() + " events, expected " + count + " within " + timeout));
      }
    });
    return promise.future();
  }

  // ---- behaviour controls ----

  /** Answers the next {@code count} requests with {@code status} (error body, nothing recorded as accepted). */
  public void failNext(int status, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    behaviors.fail(status, count);
  }

  /** Answers every request with {@code status} until {@link #clearBehaviors()}. */
  public void failAlways(int status) {
    behaviors.fail(status, Behaviors.UNLIMITED);
  }

  /** Answers the next {@code count} requests {@code 429} with {@code Retry-After: retryAfterSeconds}. */
  public void throttle(int retryAfterSeconds, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    behaviors.throttle(retryAfterSeconds, count);
  }

  /** Answers every request {@code 429} with {@code Retry-After: retryAfterSeconds} until cleared. */
  public void throttleAlways(int retryAfterSeconds) {
    behaviors.throttle(retryAfterSeconds, Behaviors.UNLIMITED);
  }

  /**
   * Answers the next {@code count} accepted requests badly at the transport level ({@code -1}: until cleared):
   * {@code reset} (connection closed mid-answer, not recorded), {@code hang} (no answer, not recorded),
   * {@code huge} (recorded, 200 with a 10 MB body), {@code garbage} (recorded, 200 with a non-JSON body),
   * {@code huge_refusal} (400 with a 10 MB body, nothing accepted).
   */
  public void misbehave(String kind, int count) {
    misbehave(kind, count, null);
  }

  /** As {@link #misbehave(String, int)}, for requests with this {@code apiKey} only (others are answered well). */
  public void misbehave(String kind, int count, String apiKey) {
    behaviors.misbehave(Behaviors.Misbehavior.valueOf(kind.toUpperCase()), count, apiKey);
  }

  /** Sends every answer {@code ms} milliseconds after the request was read (a timer, no thread blocks); 0 = off. */
  public void delay(long ms) {
    behaviors.delay(ms);
  }

  /**
   * Rejects (400, message naming the event) every event batch or single event containing an event whose
   * {@code eventName} equals {@code eventName}. Adds to the names already poisoned.
   */
  public void poisonEventName(String eventName) {
    behaviors.poison(eventName);
  }

  /** Removes failures, throttling, delay and poisoned names. Recordings stay. */
  public void clearBehaviors() {
    behaviors.clear();
  }

  /** Drops every recording and counter, and clears the behaviours. */
  public void reset() {
    behaviors.clear();
    recorder.clear();
  }

  /** The current behaviour controls, in the format of {@code GET /_simulator/behavior}. */
  public JsonObject behaviors() {
    return behaviors.toJson();
  }

  /**
   * Applies a behaviour description, as {@code POST /_simulator/behavior} does. Absent fields stay as they are:
   * <pre>{@code
   * {"clear": true,                                   // first clear every behaviour
   *  "fail": {"status": 503, "count": 3},             // count absent or -1: until cleared; "fail": null clears
   *  "throttle": {"retryAfterSeconds": 2, "count": 5}, // same count rules; "throttle": null clears
   *  "delayMs": 250,                                  // 0 = no delay
   *  "poisonEventNames": ["Bad Event"]}               // replaces the poisoned names; [] clears
   * }</pre>
   *
   * @throws IllegalArgumentException naming the wrong field; nothing is changed then
   */
  public void applyBehavior(JsonObject behavior) {
    behaviors.apply(behavior);
  }

  Recorder recorder() {
    return recorder;
  }
}
