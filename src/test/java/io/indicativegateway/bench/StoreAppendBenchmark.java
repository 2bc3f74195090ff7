package io.indicativegateway.bench;

import io.indicativegateway.config.StoreSettings;
import io.indicativegateway.store.AppendBatch;
import io.indicativegateway.store.AppendResult;
import io.indicativegateway.store.EventStore;
import io.indicativegateway.store.IncomingMessage;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store's durable append path: a 100-message batch (0.5 KB each) appended and synced, with dedup on, as one
 * request alone (a sync per request) and as 32 concurrent requests (sharing syncs through group commit).
 * Reported in messages per second (each batch is 100 messages).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class StoreAppendBenchmark {

  private Path dir;
  private EventStore store;
  private final AtomicLong ids = new AtomicLong();
  private byte[] message;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory("store-bench");
    store = EventStore.open(new StoreSettings(dir, Long.MAX_VALUE, 64L << 20, 10_000, 8 << 20, 5,
        Duration.ofHours(1)));
    message = LoadGenerator.event("bench", "000000001234", false).getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private AppendBatch batch() {
    List<IncomingMessage> messages = new ArrayList<>(100);
    for (int i = 0; i < 100; i++) {
      messages.add(new IncomingMessage("m-" + ids.incrementAndGet(), message));
    }
    return new AppendBatch("wk", "project", System.currentTimeMillis(), messages, List.of());
  }

  /** One request alone: each batch waits for its own sync. */
  @Benchmark
  @OperationsPerInvocation(100)
  public void oneRequest() throws Exception {
    appendAndSync(1);
  }

  /** 32 requests at once, as under load: group commit lets them share syncs. */
  @Benchmark
  @OperationsPerInvocation(32 * 100)
  public void thirtyTwoConcurrentRequests() throws Exception {
    appendAndSync(32);
  }

  private void appendAndSync(int concurrentRequests) throws Exception {
    List<Future<AppendResult>> pending = new ArrayList<>(concurrentRequests);
    for (int r = 0; r < concurrentRequests; r++) {
      pending.add(store.append(batch()));
    }
    for (Future<AppendResult> f : pending) {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
