package io.indicativegateway.bench;

import io.indicativegateway.config.LimitSettings;
import io.indicativegateway.config.Source;
import io.indicativegateway.config.StoreSettings;
import io.indicativegateway.ingest.IngestCall;
import io.indicativegateway.ingest.IngestService;
import io.indicativegateway.ingest.SegmentJsonReader;
import io.indicativegateway.ops.GatewayMetrics;
import io.indicativegateway.store.EventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The ingestion work on the event loop for one {@code /v1/batch} request of 100 realistic 0.5 KB events, per
 * event, next to what the limit baseline does with the same body ({@code Buffer.toJsonObject()}): reading the body
 * (one pass that also measures each message), then validation and enrichment up to the bytes to store. The
 * store's synced append is {@link StoreAppendBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestBenchmark {

  private static final int EVENTS = 100;
  private static final LimitSettings LIMITS = new LimitSettings(32768, 512000, 2500, 100, 10_000, 1024, 32768, 0, 0);

  private final AtomicLong sequence = new AtomicLong();
  private final Source source = new Source("bench", "bench-write-key", "bench-project", true);
  private final SegmentJsonReader reader = new SegmentJsonReader(100);
  private BodyTemplate template;
  private Buffer body;
  private Path dir;
  private EventStore store;
  private IngestService service;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    template = BodyTemplate.batch("bench", EVENTS);
    dir = Files.createTempDirectory("ingest-bench");
    store = EventStore.open(new StoreSettings(dir, Long.MAX_VALUE, 64L << 20, 10_000, 8 << 20, 5,
        Duration.ofHours(1))); // only for the service's settings: nothing is appended
    service = new IngestService(LIMITS, store, new GatewayMetrics(new SimpleMeterRegistry()));
  }

  @Setup(Level.Invocation)
  public void nextBody() {
    body = template.next(sequence); // fresh ids; the copy is not measured
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The limit baseline's work: parse the body into a tree. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public JsonObject baselineParse() {
    return body.toJsonObject();
  }

  /** The gateway's reading of the body: exact numbers, clean strings, each message's span and shape. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public SegmentJsonReader.ParsedBody read() {
    return reader.read(body.getBytes());
  }

  /** Reading, validation, enrichment and the stored bytes of every message: all the event loop does. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public IngestService.Prepared readAndPrepare() {
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes());
    return service.prepare(new IngestCall(source, true, null, parsed.root(), parsed.batchSpans(),
        System.currentTimeMillis(), "http"));
  }
}
