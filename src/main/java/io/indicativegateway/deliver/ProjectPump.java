package io.indicativegateway.deliver;

import io.indicativegateway.config.Source;
import io.indicativegateway.store.StoredRecord;
import io.indicativegateway.translate.TranslationRequest;
import io.indicativegateway.translate.TranslationResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one Indicative project's stored messages to Indicative: reads them from the store in chunks (a cursor
 * runs ahead of what is deleted), has them translated, and hands each chunk to a {@link ChunkDelivery}. Up to
 * {@code maxChunksPerProject} chunks are in flight, so delivery pipelines while memory stays bounded; the
 * backlog stays on disk.
 *
 * <p>Runs on the delivery verticle's event loop; store reads run on worker threads.
 */
final class ProjectPump {

  private static final Logger log = LoggerFactory.getLogger(ProjectPump.class);
  private static final long TRANSLATION_TIMEOUT_MS = 30_000;

  private final DeliveryRuntime runtime;
  private final long projectId;
  private final String apiKey;
  private final RequestSender sender;
  private long cursor;
  private int chunksInFlight;
  private boolean reading;
  private boolean lingering;
  private boolean caughtUp = true;
  private Future<Void> barrier = Future.succeededFuture();

  ProjectPump(DeliveryRuntime runtime, long projectId, String apiKey) {
    this.runtime = runtime;
    this.projectId = projectId;
    this.apiKey = apiKey;
    this.sender = new RequestSender(runtime, apiKey);
  }

  RequestSender sender() {
    return sender;
  }

  /** The Indicative project key (in full: never log it, use {@link #label()}). */
  String apiKey() {
    return apiKey;
  }

  String label() {
    return Source.mask(apiKey);
  }

  /**
   * Something may be waiting: read it, after the linger when the pump had caught up (so a trickle of small
   * requests still makes full batches), at once when it is working through a backlog.
   */
  void wake() {
    if (reading || lingering || chunksInFlight >= runtime.settings.maxChunksPerProject()
        || !runtime.hasRoomForChunk() || sender.gaveUpWhileDraining()) {
      return;
    }
    long linger = runtime.settings.lingerMs();
    if (caughtUp && linger > 0 && !runtime.draining()) {
      lingering = true;
      runtime.readStarted(); // a read is coming: a drain waits for it
      runtime.vertx.setTimer(linger, t -> {
        lingering = false;
        read();
        runtime.readFinished();
      });
    } else {
      read();
    }
  }

  private void read() {
    if (reading || chunksInFlight >= runtime.settings.maxChunksPerProject() || !runtime.hasRoomForChunk()
        || sender.gaveUpWhileDraining()) {
      return;
    }
    reading = true;
    runtime.readStarted();
    var settings = runtime.settings;
    runtime.vertx.executeBlocking(() -> runtime.store.readChunk(projectId, cursor, settings.chunkMaxRecords(),
            settings.chunkMaxBytes()), false)
        .onComplete(read -> {
          reading = false;
          try {
            onRead(read);
          } finally {
            runtime.readFinished();
          }
        });
  }

  private void onRead(io.vertx.core.AsyncResult<List<StoredRecord>> read) {
    var settings = runtime.settings;
    if (read.failed()) {
      if (!runtime.draining() && !runtime.stopped()) {
        log.error("project {}: reading the store failed; retrying", label(), read.cause());
        runtime.sleep(1000).onComplete(v -> wake());
      }
      return;
    }
    List<StoredRecord> chunk = read.result();
    if (chunk.isEmpty()) {
      caughtUp = true;
      return;
    }
    long bytes = chunk.stream().mapToLong(StoredRecord::storedBytes).sum();
    caughtUp = chunk.size() < settings.chunkMaxRecords() && bytes < settings.chunkMaxBytes();
    cursor = chunk.get(chunk.size() - 1).seq();
    chunksInFlight++;
    runtime.chunkStarted(bytes);
    translateAndDeliver(chunk, bytes);
    if (!caughtUp) {
      read();
    }
  }

  private void translateAndDeliver(List<StoredRecord> chunk, long bytes) {
    Future<Void> earlier = barrier;
    // The barrier for later chunks completes only once this chunk's identify/alias requests are resolved.
    barrier = translate(chunk, 0).compose(result -> {
      ChunkDelivery delivery = new ChunkDelivery(runtime, sender, apiKey, result.records(), bytes,
          () -> chunkFinished(bytes));
      return delivery.start(earlier);
    }, failure -> {
      // Only shutdown ends translation retries: the chunk's records stay stored for the next start.
      chunkFinished(bytes);
      return earlier;
    });
  }

  private Future<TranslationResult> translate(List<StoredRecord> chunk, int attempt) {
    if (runtime.stopped() || (attempt > 0 && runtime.draining())) {
      return Future.failedFuture("stopping");
    }
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(TRANSLATION_TIMEOUT_MS);
    return runtime.vertx.eventBus()
        .<TranslationResult>request(TranslationRequest.ADDRESS, new TranslationRequest(chunk), options)
        .map(reply -> reply.body())
        .recover(failure -> {
          log.error("project {}: translation of {} messages failed ({}); retrying", label(), chunk.size(),
              failure.getMessage());
          return runtime.sleep(runtime.backoff.delayMs(attempt, java.util.OptionalLong.empty()))
              .compose(v -> translate(chunk, attempt + 1));
        });
  }

  private void chunkFinished(long bytes) {
    chunksInFlight--;
    runtime.chunkFinished(bytes);
    wake();
  }
}
