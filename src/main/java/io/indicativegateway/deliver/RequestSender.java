package io.indicativegateway.deliver;

import io.indicativegateway.config.Source;
import io.indicativegateway.translate.IndicativeItem;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers requests for one Indicative project until each item is resolved: sent, dead-lettered, or (at
 * shutdown) left stored. Retries with backoff behind the project's circuit breaker, bisects refused batches to
 * isolate the bad events, and gives up on messages older than the maximum retry age.
 *
 * <p>The futures it returns never fail: every outcome is a resolution of the items.
 */
final class RequestSender {

  private static final Logger log = LoggerFactory.getLogger(RequestSender.class);
  private static final long AUTH_LOG_INTERVAL_MS = 60_000;

  /** An outcome the breaker must count as a failure. */
  private static final class FailedOutcome extends RuntimeException {
    final Outcome outcome;

    FailedOutcome(Outcome outcome) {
      super(outcome.detail(), null, false, false);
      this.outcome = outcome;
    }
  }

  private final DeliveryRuntime runtime;
  private final String projectLabel;
  private final Buffer apiKeyPrefix;
  private final CircuitBreaker breaker;
  /** This project's share of the shared in-flight cap, taken first: its hung requests cannot hold all of it. */
  private final InFlightLimiter projectLimiter;
  private volatile String authProblem;
  private boolean gaveUpWhileDraining;
  private long lastAuthLog;

  RequestSender(DeliveryRuntime runtime, String apiKey) {
    this.runtime = runtime;
    this.projectLabel = Source.mask(apiKey);
    this.apiKeyPrefix = Buffer.buffer("{\"apiKey\":" + Json.encode(apiKey));
    var settings = runtime.settings;
    this.projectLimiter = new InFlightLimiter(settings.maxInFlightPerProject());
    this.breaker = CircuitBreaker.create("indicative-" + projectLabel, runtime.vertx, new CircuitBreakerOptions()
            .setMaxFailures(settings.breakerMaxFailures())
            .setTimeout(settings.requestTimeoutMs() + settings.connectTimeoutMs() + 1000)
            .setResetTimeout(settings.breakerResetTimeoutMs())
            .setFallbackOnFailure(false))
        .openHandler(v -> log.warn("Indicative project {}: circuit opened after repeated failures; deliveries "
            + "paused, messages stay stored", projectLabel))
        .halfOpenHandler(v -> log.info("Indicative project {}: circuit half-open, probing", projectLabel))
        .closeHandler(v -> {
          log.info("Indicative project {}: circuit closed, delivering", projectLabel);
          authProblem = null;
        });
  }

  Buffer apiKeyPrefix() {
    return apiKeyPrefix;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  /** Non-null while Indicative refuses this project's key (401/403). */
  String authProblem() {
    return authProblem;
  }

  /** During shutdown: Indicative did not take something, so this project stops reading more. */
  boolean gaveUpWhileDraining() {
    return gaveUpWhileDraining;
  }

  Future<Void> deliver(PendingRequest request) {
    return attempt(request, 0, "no answer yet");
  }

  private Future<Void> attempt(PendingRequest request, int attempt, String lastDetail) {
    if (runtime.stopped() || (attempt > 0 && runtime.draining())) {
      // shutting down: no more waiting on Indicative; the messages stay stored for the next start
      gaveUpWhileDraining = runtime.draining();
      resolve(request.items(), Resolution.ABANDONED, null, null);
      return Future.succeededFuture();
    }
    PendingRequest live = dropExpired(request, lastDetail);
    if (live == null) {
      return Future.succeededFuture();
    }
    return projectLimiter.acquire()
        .compose(v -> runtime.limiter.acquire())
        .compose(v -> send(live))
        .transform(done -> done.succeeded()
            ? handle(live, done.result())
            : retry(live, attempt, done.cause()));
  }

  /**
   * One exchange through the breaker. The in-flight permits (held by the caller) are released when the HTTP
   * exchange really ends, not when the breaker gives up waiting, so the caps on concurrent requests hold.
   */
  private Future<Outcome> send(PendingRequest request) {
    Buffer body = request.body(apiKeyPrefix);
    long started = System.nanoTime();
    boolean[] sent = {false};
    Future<Outcome> result = breaker.execute(promise -> {
      sent[0] = true;
      runtime.client.send(request.kind(), body).onComplete(done -> {
        releasePermits();
        Outcome outcome = done.succeeded() ? done.result() : Outcome.ofError(done.cause());
        runtime.metrics.deliveryLatency(System.nanoTime() - started);
        if (outcome.type() == Outcome.Type.RETRY || outcome.type() == Outcome.Type.AUTH_FAILED) {
          promise.tryFail(new FailedOutcome(outcome)); // the breaker may have timed out already
        } else {
          promise.tryComplete(outcome);
        }
      });
    });
    if (!sent[0]) {
      releasePermits(); // the open circuit refused it without a request
    }
    return result;
  }

  private void releasePermits() {
    runtime.limiter.release();
    projectLimiter.release();
  }

  private Future<Void> handle(PendingRequest request, Outcome outcome) {
    if (outcome.type() == Outcome.Type.DELIVERED) {
      if (request.kind() == IndicativeItem.Kind.EVENT) {
        runtime.metrics.batchSize(request.items().size());
      }
      resolve(request.items(), Resolution.DELIVERED, null, null);
      return Future.succeededFuture();
    }
    // REJECTED: find the refused event(s) by halving; everything else in the batch still goes through.
    if (request.items().size() > 1) {
      List<PendingRequest> halves = request.halves();
      return Future.all(attempt(halves.get(0), 0, outcome.detail()), attempt(halves.get(1), 0, outcome.detail()))
          .mapEmpty();
    }
    // the response body (it may quote user data) goes to the dead letter, not the log
    log.warn("Indicative project {} refused a {} item with HTTP {}; it goes to the dead-letter store",
        projectLabel, request.kind().name().toLowerCase(), outcome.status());
    resolve(request.items(), Resolution.DEAD_LETTERED, "rejected-by-indicative", outcome.detail());
    return Future.succeededFuture();
  }

  private Future<Void> retry(PendingRequest request, int attempt, Throwable cause) {
    long delay;
    String detail;
    if (cause instanceof OpenCircuitException) {
      detail = "circuit open";
      long reset = runtime.settings.breakerResetTimeoutMs();
      delay = runtime.backoff.between(reset / 2, reset); // come back around when the breaker half-opens
    } else {
      Outcome outcome = cause instanceof FailedOutcome failed ? failed.outcome : Outcome.ofError(cause);
      detail = outcome.detail();
      runtime.metrics.retried(outcome.cause());
      if (outcome.type() == Outcome.Type.AUTH_FAILED) {
        noteAuthFailure(outcome);
      }
      delay = runtime.backoff.delayMs(attempt, outcome.retryAfterMs());
    }
    return runtime.sleep(delay).compose(v -> attempt(request, attempt + 1, detail));
  }

  private void noteAuthFailure(Outcome outcome) {
    authProblem = "Indicative refused the project key with HTTP " + outcome.status();
    long now = System.currentTimeMillis();
    if (now - lastAuthLog >= AUTH_LOG_INTERVAL_MS) {
      lastAuthLog = now;
      log.error("Indicative refuses project key {} with HTTP {}: check the source's projectKey; its messages "
          + "stay stored and are retried", projectLabel, outcome.status());
    }
  }

  /** Dead-letters the items older than the maximum retry age; returns the rest, or null if none is left. */
  private PendingRequest dropExpired(PendingRequest request, String lastDetail) {
    long oldestAllowed = System.currentTimeMillis() - runtime.settings.maxRetryAge().toMillis();
    List<ItemRef> expired = new ArrayList<>();
    List<ItemRef> live = new ArrayList<>(request.items().size());
    for (ItemRef ref : request.items()) {
      (ref.receivedAtMillis() < oldestAllowed ? expired : live).add(ref);
    }
    if (expired.isEmpty()) {
      return request;
    }
    resolve(expired, Resolution.DEAD_LETTERED, "expired", "not delivered within "
        + runtime.settings.maxRetryAge() + "; last answer: " + lastDetail);
    return live.isEmpty() ? null : new PendingRequest(request.kind(), live);
  }

  private void resolve(List<ItemRef> items, Resolution resolution, String reason, String detail) {
    if (resolution == Resolution.DELIVERED) {
      runtime.metrics.delivered(items.get(0).item().kind().name().toLowerCase(), items.size());
    } else if (resolution == Resolution.DEAD_LETTERED) {
      runtime.metrics.deadLettered(reason, items.size());
    }
    // A request is built from one chunk, so its items share it.
    items.get(0).chunk().resolve(items, resolution, reason, detail);
  }
}
