package io.indicativegateway.deliver;

import io.indicativegateway.config.DeliverySettings;
import io.indicativegateway.ops.GatewayMetrics;
import io.indicativegateway.store.DeadLetter;
import io.indicativegateway.store.EventStore;
import io.indicativegateway.store.StoredRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What all project pumps share: the store, the HTTP client, the in-flight cap, the memory budget and the
 * shutdown switch. Lives on the delivery verticle's event loop; nothing here is touched from other threads.
 */
final class DeliveryRuntime {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRuntime.class);

  final Vertx vertx;
  final DeliverySettings settings;
  final EventStore store;
  final IndicativeClient client;
  final InFlightLimiter limiter;
  final GatewayMetrics metrics;
  final Backoff backoff;
  private final Map<Long, Promise<Void>> waits = new HashMap<>();
  private long bufferedBytes;
  private int chunksInFlight;
  private boolean stopping;
  private Promise<Void> drained;

  DeliveryRuntime(Vertx vertx, DeliverySettings settings, EventStore store, IndicativeClient client,
                  GatewayMetrics metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = store;
    this.client = client;
    this.limiter = new InFlightLimiter(settings.maxInFlightRequests());
    this.metrics = metrics;
    this.backoff = new Backoff(settings.retryBaseMs(), settings.retryCapMs(), new SplittableRandom());
  }

  boolean stopping() {
    return stopping;
  }

  /** Whether another chunk fits in the memory all projects may use for messages in flight. */
  boolean hasRoomForChunk() {
    return !stopping && bufferedBytes < settings.maxBufferedBytes();
  }

  void chunkStarted(long bytes) {
    bufferedBytes += bytes;
    chunksInFlight++;
  }

  void chunkFinished(long bytes) {
    bufferedBytes -= bytes;
    chunksInFlight--;
    if (chunksInFlight == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  int chunksInFlight() {
    return chunksInFlight;
  }

  /** A delay that shutdown cuts short: it completes after {@code ms}, or at once when delivery stops. */
  Future<Void> sleep(long ms) {
    if (stopping) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    long id = vertx.setTimer(Math.max(1, ms), t -> {
      waits.remove(t);
      promise.tryComplete();
    });
    waits.put(id, promise);
    return promise.future();
  }

  /** Removes delivered records and stores dead letters, off the event loop. */
  Future<Void> complete(List<StoredRecord> done, List<DeadLetter> letters) {
    return vertx.executeBlocking(() -> {
      store.complete(done, letters);
      return null;
    }, false).<Void>mapEmpty().onFailure(e ->
        // The records stay in the store and are sent again after a restart: a duplicate, never a loss.
        log.error("could not remove {} delivered records from the store", done.size(), e));
  }

  /**
   * Stops reading new work and cuts retry waits short (their messages stay stored), then waits for requests in
   * flight to finish, at most the grace period.
   */
  Future<Void> drain() {
    stopping = true;
    drained = Promise.promise();
    if (chunksInFlight == 0) {
      drained.complete();
    }
    waits.forEach((id, promise) -> {
      vertx.cancelTimer(id);
      promise.tryComplete();
    });
    waits.clear();
    Promise<Void> graceOver = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, settings.shutdownGraceMs()), t -> graceOver.tryComplete());
    return Future.any(drained.future(), graceOver.future())
        .onComplete(done -> {
          vertx.cancelTimer(timer);
          if (chunksInFlight > 0) {
            log.warn("shutdown grace period over with {} chunks in flight; their messages stay stored",
                chunksInFlight);
          }
        })
        .mapEmpty();
  }
}
