package io.indicativegateway.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that turns many concurrent write requests into few synced writes: it takes everything that queued
 * up while the previous sync ran and writes it as one group, so concurrent requests share one fsync.
 *
 * <p>The queue is bounded: {@link #offer} refuses at once when it is full, which ingestion turns into a 503,
 * and nothing ever blocks an event loop.
 */
final class GroupCommitWriter<T> {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final ArrayBlockingQueue<T> queue;
  private final long maxGroupBytes;
  private final ToLongFunction<T> sizeOf;
  private final Consumer<List<T>> commit;
  private final Runnable onIdle;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param onIdle runs on the writer thread when nothing arrived for a moment (recovery work)
   */
  GroupCommitWriter(String name, int capacity, long maxGroupBytes, ToLongFunction<T> sizeOf,
                    Consumer<List<T>> commit, Runnable onIdle) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxGroupBytes = maxGroupBytes;
    this.sizeOf = sizeOf;
    this.commit = commit;
    this.onIdle = onIdle;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean offer(T item) {
    return running && queue.offer(item);
  }

  int queued() {
    return queue.size();
  }

  /**
   * Stops taking new items, commits everything already queued, then hands anything that slipped in after the
   * writer's last look to {@code leftover}, so every caller gets an answer.
   */
  void stopAndDrain(Consumer<T> leftover) throws InterruptedException {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    T item;
    while ((item = queue.poll()) != null) {
      leftover.accept(item);
    }
  }

  private void loop() {
    List<T> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        T first = queue.poll(20, TimeUnit.MILLISECONDS);
        if (first == null) {
          onIdle.run();
          continue;
        }
        group.add(first);
        long bytes = sizeOf.applyAsLong(first);
        T next;
        while (bytes < maxGroupBytes && (next = queue.poll()) != null) {
          group.add(next);
          bytes += sizeOf.applyAsLong(next);
        }
        commit.accept(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // commit() answers its own failures; this only guards the thread against a bug so writes keep flowing.
        log.error("store writer: unexpected failure, continuing", e);
      } finally {
        group.clear();
      }
    }
  }
}
