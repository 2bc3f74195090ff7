package io.indicativegateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's own meters, named once here so every part counts the same way. Labels are a small fixed set
 * (reason, kind, project label, transport): never ids, keys or paths.
 */
public final class GatewayMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer deliveryLatency;
  private final DistributionSummary batchSize;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.deliveryLatency = Timer.builder("gateway.delivery.latency")
        .description("Time from a request to Indicative to its answer")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    this.batchSize = DistributionSummary.builder("gateway.delivery.batch.size")
        .description("Events per event batch sent to Indicative")
        .serviceLevelObjectives(1, 10, 25, 50, 75, 100)
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void received(String transport, int messages) {
    counter("gateway.messages.received", "transport", transport).increment(messages);
  }

  public void accepted(int messages) {
    counter("gateway.messages.accepted").increment(messages);
  }

  /** Messages or requests refused at ingestion; reason is a fixed word such as {@code invalid}, {@code auth}. */
  public void rejected(String reason, int messages) {
    counter("gateway.messages.rejected", "reason", reason).increment(messages);
  }

  public void filtered(int messages) {
    counter("gateway.messages.filtered").increment(messages);
  }

  public void duplicates(int messages) {
    counter("gateway.messages.duplicates").increment(messages);
  }

  public void delivered(String kind, int items) {
    counter("gateway.delivery.delivered", "kind", kind).increment(items);
  }

  public void retried(String cause) {
    counter("gateway.delivery.retries", "cause", cause).increment();
  }

  public void deadLettered(String reason, int messages) {
    counter("gateway.messages.deadlettered", "reason", reason).increment(messages);
  }

  public void deliveryLatency(long nanos) {
    deliveryLatency.record(Duration.ofNanos(nanos));
  }

  public void batchSize(int events) {
    batchSize.record(events);
  }

  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
    io.micrometer.core.instrument.Gauge.builder(name, source, value).description(description).tags(tags)
        .register(registry);
  }

  /** Current value of a counter summed over all its labels (for tests and health output). */
  public double total(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private Counter counter(String name, String... tags) {
    String key = tags.length == 0 ? name : name + String.join("|", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
  }
}
