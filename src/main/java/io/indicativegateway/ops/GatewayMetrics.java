package io.indicativegateway.ops;

import io.indicativegateway.store.EventStore;
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
    // present from the start, at zero, so dashboards and alerts see them before the first message
    counter("gateway.messages.accepted");
    counter("gateway.messages.filtered");
    counter("gateway.messages.duplicates");
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

  /**
   * Messages or requests refused at ingestion. The reason is one of a fixed set: {@code auth}, {@code malformed},
   * {@code too-large}, {@code invalid}, {@code rate-limited}, {@code no-reply-address},
   * {@code store-full|busy|unavailable|closed}.
   */
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

  /**
   * The store's gauges; the oldest-undelivered age is read from {@code oldestUndeliveredMillis}, which a timer
   * refreshes (reading it means a seek per project, too slow for every scrape).
   */
  public void storeGauges(EventStore store, java.util.concurrent.atomic.AtomicLong oldestUndeliveredMillis) {
    gauge("gateway.store.bytes", "Bytes of undelivered and undeliverable messages", store,
        EventStore::sizeBytes);
    gauge("gateway.store.max.bytes", "Configured store size limit", store, s -> s.settings().maxBytes());
    gauge("gateway.store.undelivered.messages", "Messages waiting for delivery", store,
        EventStore::undeliveredCount);
    gauge("gateway.store.rejected.bytes", "Bytes of messages refused at ingestion kept for inspection", store,
        EventStore::rejectedBytes);
    gauge("gateway.store.writable", "1 while the store can write, 0 while the disk refuses", store,
        s -> s.writeFailure() == null ? 1 : 0);
    gauge("gateway.store.oldest.undelivered.age.seconds", "Age of the oldest message waiting for delivery",
        oldestUndeliveredMillis, holder -> { // Micrometer keeps gauge state weakly: pass the long-lived holder
          long oldest = holder.get();
          return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
        });
  }

  /** Circuit state of one project's breaker: 0 closed, 1 half-open, 2 open. Tag: the masked project key. */
  public <T> void circuitGauge(String project, T breaker, ToDoubleFunction<T> state) {
    gauge("gateway.delivery.circuit.state", "Circuit breaker state: 0 closed, 1 half-open, 2 open", breaker, state,
        "project", project);
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
