package io.indicativegateway.bench;

import io.indicativegateway.json.ExactJson;
import io.indicativegateway.translate.IndicativeItem;
import io.indicativegateway.translate.SegmentTranslator;
import io.indicativegateway.translate.TranslationSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Translation of a typical stored track event (the ~0.5 KB browser event of the load generator), the way the
 * translation verticle does it: parse the stored bytes, translate, serialize the item.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TranslationBenchmark {

  private SegmentTranslator translator;
  private byte[] stored;
  private JsonObject parsed;

  @Setup
  public void setUp() {
    translator = new SegmentTranslator(TranslationSettings.defaults());
    String event = LoadGenerator.event("bench", "000000001234", true);
    parsed = new JsonObject(event).put("receivedAt", "2026-12-03T12:00:00.000Z").put("messageId", "m-1");
    stored = parsed.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** What the translation verticle does per stored message. */
  @Benchmark
  public Buffer parseTranslateEncode() {
    List<IndicativeItem> items = translator.translate(ExactJson.parseObject(stored));
    return items.get(0).body().toBuffer();
  }

  @Benchmark
  public JsonObject parseOnly() {
    return ExactJson.parseObject(stored);
  }

  @Benchmark
  public List<IndicativeItem> translateOnly() {
    return translator.translate(parsed);
  }
}
