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
  private int readsInFlight;
  private boolean draining;
  private boolean stopped;
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

  /** Shutdown began: deliver what is stored, but wait for no retry. */
  boolean draining() {
    return draining;
  }

  /** The grace period is over (or delivery never drains): nothing new is sent. */
  boolean stopped() {
    return stopped;
  }

  /** Whether another chunk may be read now: not after stop, and only within the memory budget. */
  boolean hasRoomForChunk() {
    return !stopped && bufferedBytes < settings.maxBufferedBytes();
  }

  void readStarted() {
    readsInFlight++;
  }

  void readFinished() {
    readsInFlight--;
    checkDrained();
  }

  void chunkStarted(long bytes) {
    bufferedBytes += bytes;
    chunksInFlight++;
  }

  void chunkFinished(long bytes) {
    bufferedBytes -= bytes;
    chunksInFlight--;
    checkDrained();
  }

  private void checkDrained() {
    if (drained != null && chunksInFlight == 0 && readsInFlight == 0) {
      drained.tryComplete();
    }
  }

  int chunksInFlight() {
    return chunksInFlight;
  }

  /** A delay that shutdown cuts short: it completes after {@code ms}, or at once when delivery drains. */
  Future<Void> sleep(long ms) {
    if (draining || stopped) {
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

  /**
   * Removes delivered records, stores dead letters and remembers delivered alias pairs, off the event loop.
   * If the store cannot write right now it tries again later (the records would otherwise be sent twice); at
   * shutdown it gives up, and the records are sent again after the restart: a duplicate, never a loss.
   */
  void complete(List<StoredRecord> done, List<DeadLetter> letters, List<EventStore.AliasPair> aliases) {
    vertx.executeBlocking(() -> {
      store.complete(done, letters, aliases);
      return null;
    }, false).onFailure(e -> {
      if (draining || stopped) {
        log.warn("could not remove {} delivered records before stopping ({}); they will be sent again",
            done.size(), e.getMessage());
      } else {
        log.warn("could not remove {} delivered records ({}); retrying", done.size(), e.getMessage());
        sleep(1000).onComplete(v -> complete(done, letters, aliases));
      }
    });
  }

  /**
   * Graceful stop: pumps keep sending what is stored (see {@link ProjectPump#wake}) while retry waits are cut
   * short, their messages staying stored; completes when everything is idle or when the grace period ends, after
   * which nothing new is sent.
   *
   * @param wakeAll wakes every pump so each sends its backlog
   * @param graceMs how long delivery may go on
   */
  Future<Void> drain(Runnable wakeAll, long graceMs) {
    draining = true;
    drained = Promise.promise();
    waits.forEach((id, promise) -> {
      vertx.cancelTimer(id);
      promise.tryComplete();
    });
    waits.clear();
    wakeAll.run();
    checkDrained();
    Promise<Void> graceOver = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, graceMs), t -> graceOver.tryComplete());
    return Future.any(drained.future(), graceOver.future())
        .onComplete(done -> {
          stopped = true;
          vertx.cancelTimer(timer);
          if (chunksInFlight > 0) {
            log.warn("shutdown grace period over with {} chunks in flight; their messages stay stored",
                chunksInFlight);
          }
        })
        .mapEmpty();
  }
}
