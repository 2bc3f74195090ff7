package io.indicativegateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load generator for loopback benchmarks: {@code connections} clients each keep one request in
 * flight for {@code seconds}, sending realistic ~0.5 KB Segment track events with unique messageIds, either 100
 * per {@code /v1/batch} request or one per {@code /v1/track}. Optionally paced to a fixed request rate (open loop)
 * for latency measurements. Prints one JSON line of results.
 *
 * <p>{@code java -cp target/test-classes:target/indicative-gateway.jar io.indicativegateway.bench.LoadGenerator
 * --url http://127.0.0.1:8080 --mode batch|track --connections 64 --seconds 20 --write-key KEY [--rate N]}
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String url = opts.getOrDefault("url", "http://127.0.0.1:8080");
    String mode = opts.getOrDefault("mode", "batch");
    int connections = Integer.parseInt(opts.getOrDefault("connections", "64"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
    double rate = Double.parseDouble(opts.getOrDefault("rate", "0"));
    int batchSize = Integer.parseInt(opts.getOrDefault("batch-size", "100"));
    String writeKey = opts.getOrDefault("write-key", "dev-write-key");
    String statsUrl = opts.get("stats-url"); // the simulator's stats: delivered events in the same window
    if (seconds > 600 || !url.startsWith("http://127.0.0.1")) {
      throw new IllegalArgumentException("loopback only (http://127.0.0.1...) and at most 600 s");
    }
    boolean batch = mode.equals("batch");
    int eventsPerRequest = batch ? batchSize : 1;
    String path = batch ? "/v1/batch" : "/v1/track";
    java.net.URI uri = java.net.URI.create(url);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(connections * 4));
    String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
        .setPort(uri.getPort()).setURI(path).putHeader("Authorization", auth)
        .putHeader("Content-Type", "application/json");

    String runId = Long.toString(System.nanoTime(), 36);
    BodyTemplate batchTemplate = BodyTemplate.batch(runId, batchSize);
    BodyTemplate trackTemplate = BodyTemplate.single(runId);
    AtomicLong sequence = new AtomicLong();
    Histogram latency = new Histogram(60_000_000_000L, 3);
    Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicLong okRequests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong active = new AtomicLong();

    // this process's own CPU in the measured window: the generator shares the cores with what it measures
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long[] cpuNanos = new long[2];
    vertx.setTimer(TimeUnit.SECONDS.toMillis(warmup), t -> cpuNanos[0] = os.getProcessCpuTime());
    vertx.setTimer(TimeUnit.SECONDS.toMillis(warmup + seconds), t -> cpuNanos[1] = os.getProcessCpuTime());
    long[] delivered = new long[2];
    CountDownLatch statsTaken = new CountDownLatch(1);
    if (statsUrl != null) {
      java.net.URI stats = java.net.URI.create(statsUrl);
      RequestOptions get = new RequestOptions().setHost(stats.getHost()).setPort(stats.getPort())
          .setURI(stats.getPath());
      // a connection per call: a kept-alive one can be closed by the simulator's idle timeout between the two
      HttpClient statsClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      vertx.setTimer(TimeUnit.SECONDS.toMillis(warmup), t -> acceptedEvents(statsClient, get)
          .onSuccess(n -> delivered[0] = n).onFailure(e -> System.err.println("simulator stats: " + e)));
      vertx.setTimer(TimeUnit.SECONDS.toMillis(warmup + seconds), t -> acceptedEvents(statsClient, get)
          .onSuccess(n -> delivered[1] = n).onFailure(e -> System.err.println("simulator stats: " + e))
          .onComplete(ar -> statsTaken.countDown()));
    } else {
      statsTaken.countDown();
    }

    Runnable[] fire = new Runnable[1];
    fire[0] = () -> {
      long now = System.nanoTime();
      if (now >= end) {
        if (active.get() == 0) {
          done.countDown();
        }
        return;
      }
      active.incrementAndGet();
      Buffer body = (batch ? batchTemplate : trackTemplate).next(sequence);
      long started = System.nanoTime();
      client.request(request)
          .compose(req -> req.send(body))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(ar -> {
            active.decrementAndGet();
            long finished = System.nanoTime();
            if (started >= warmupEnd && finished <= end) {
              if (ar.succeeded()) {
                statuses.computeIfAbsent(ar.result(), s -> new AtomicLong()).incrementAndGet();
                if (ar.result() == 200) {
                  okRequests.incrementAndGet();
                  latency.recordValue(Math.min(finished - started, latency.getHighestTrackableValue()));
                }
              } else {
                errors.incrementAndGet();
              }
            }
            if (rate <= 0) {
              fire[0].run();
            } else if (System.nanoTime() >= end && active.get() == 0) {
              done.countDown();
            }
          });
    };

    if (rate <= 0) {
      vertx.runOnContext(v -> {
        for (int i = 0; i < connections; i++) {
          fire[0].run();
        }
      });
    } else {
      // open loop: a fixed schedule of request starts, independent of how fast answers come back
      long intervalNanos = (long) (1e9 / rate);
      long start = System.nanoTime();
      Thread pacer = new Thread(() -> {
        long n = 0;
        while (System.nanoTime() < end) {
          long due = start + n * intervalNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
          vertx.runOnContext(v -> fire[0].run());
          n++;
        }
        vertx.setTimer(5000, t -> done.countDown());
      });
      pacer.setDaemon(true);
      pacer.start();
    }
    done.await(seconds + warmup + 60L, TimeUnit.SECONDS);
    statsTaken.await(30, TimeUnit.SECONDS); // the last requests can finish before the end-of-window stats call
    double requestsPerSecond = okRequests.get() / (double) seconds;
    StringBuilder status = new StringBuilder();
    statuses.forEach((k, v) -> status.append(status.length() == 0 ? "" : ",").append('"').append(k)
        .append("\":").append(v.get()));
    System.out.printf("{\"mode\":\"%s\",\"connections\":%d,\"seconds\":%d,\"targetRate\":%.0f,\"ok\":%d,"
            + "\"requestsPerSecond\":%.0f,\"eventsPerSecond\":%.0f,\"p50ms\":%.2f,\"p99ms\":%.2f,\"maxMs\":%.2f,"
            + "\"errors\":%d,\"statuses\":{%s},\"runId\":\"%s\",\"eventsSent\":%d,"
            + "\"deliveredPerSecond\":%.0f,\"loadCpuPercent\":%.0f}%n",
        mode, connections, seconds, rate, okRequests.get(), requestsPerSecond, requestsPerSecond * eventsPerRequest,
        latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6,
        errors.get(), status, runId, sequence.get(), (delivered[1] - delivered[0]) / (double) seconds,
        (cpuNanos[1] - cpuNanos[0]) / 1e7 / seconds);
    client.close();
    vertx.close();
  }

  private static Future<Long> acceptedEvents(HttpClient client, RequestOptions get) {
    return client.request(get).compose(req -> req.send()).compose(resp -> resp.body())
        .map(body -> body.toJsonObject().getLong("acceptedEvents"));
  }

  /** A realistic browser track event of about 0.5 KB; {@code n} is a fixed-width placeholder in templates. */
  static String event(String runId, String n, boolean single) {
    String timestamp = java.time.Instant.now().toString();
    return "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"user-" + n.substring(8)
        + "\",\"anonymousId\":\"anon-" + n.substring(7) + "\",\"messageId\":\"" + runId + "-" + n
        + "\",\"timestamp\":\"" + timestamp + "\",\"properties\":{\"product_id\":\"507f1f77bcf86cd7994390"
        + n.substring(10) + "\",\"sku\":\"G-32\",\"category\":\"Games\",\"name\":\"Monopoly: 3rd Edition\","
        + "\"brand\":\"Hasbro\",\"price\":18.99,\"quantity\":1,\"currency\":\"usd\",\"position\":3},"
        + "\"context\":{\"library\":{\"name\":\"analytics.js\",\"version\":\"2.11.1\"},\"ip\":\"203.0.113.7\","
        + "\"page\":{\"path\":\"/products/g-32\",\"url\":\"https://shop.example.com/products/g-32\"},"
        + "\"userAgent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/120.0.0.0 Safari/537.36\"}" + (single ? ",\"sentAt\":\"" + timestamp + "\"" : "") + "}";
  }
}
