package io.indicativegateway.acceptance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients that keep sending batches and remember exactly which messageIds got a 200, so a test can
 * check every acknowledged message reached Indicative. Each event carries its messageId as property {@code mid}.
 */
final class LoadClients implements AutoCloseable {

  final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  final AtomicLong retryAfterSeen = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  LoadClients(int port, String writeKey, int clients, int batchSize, long pauseMs) {
    String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int c = 0; c < clients; c++) {
      String prefix = "c" + c + "-";
      Thread thread = new Thread(() -> {
        long n = 0;
        while (running) {
          JsonArray batch = new JsonArray();
          List<String> ids = new ArrayList<>(batchSize);
          for (int i = 0; i < batchSize; i++) {
            String id = prefix + (n++);
            ids.add(id);
            batch.add(new JsonObject().put("type", "track").put("userId", "user-" + (n % 100))
                .put("event", "Load").put("messageId", id)
                .put("properties", new JsonObject().put("mid", id).put("padding", "p".repeat(100))));
          }
          try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("batch", batch).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
            if (response.statusCode() == 200) {
              acknowledged.addAll(ids);
            } else if (response.headers().firstValue("Retry-After").isPresent()) {
              retryAfterSeen.incrementAndGet();
            }
          } catch (Exception e) {
            statuses.computeIfAbsent(0, s -> new AtomicLong()).incrementAndGet(); // no answer (gateway down)
          }
          pause(pauseMs);
        }
      }, "load-client-" + c);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  LoadClients start() {
    threads.forEach(Thread::start);
    return this;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(15_000);
    }
  }
}
