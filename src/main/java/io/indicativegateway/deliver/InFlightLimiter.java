package io.indicativegateway.deliver;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * Caps concurrent requests to Indicative. Used on the delivery verticle's event loop only. Waiters are bounded
 * by construction: each in-flight chunk waits for at most its own batches, and chunks are bounded per project.
 */
final class InFlightLimiter {

  private final int max;
  private final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
  private int inFlight;

  InFlightLimiter(int max) {
    this.max = max;
  }

  Future<Void> acquire() {
    if (inFlight < max) {
      inFlight++;
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiting.add(promise);
    return promise.future();
  }

  void release() {
    Promise<Void> next = waiting.poll();
    if (next != null) {
      next.complete(); // the permit passes straight to the next waiter
    } else {
      inFlight--;
    }
  }

  int inFlight() {
    return inFlight;
  }
}
