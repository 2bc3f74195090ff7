package io.indicativegateway.ingest;

import io.indicativegateway.config.LimitSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-source token buckets: each source may send {@code rate} messages a second, with bursts up to
 * {@code burst}. One noisy source runs out of its own tokens and gets 429s; the others keep theirs. Shared by
 * the HTTP and event-bus transports and their event loops; one small lock per source.
 */
public final class SourceRateLimiter {

  /** The outcome for one request, with what the RateLimit headers report. */
  public record Decision(boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {}

  private final int rate;
  private final int burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>(); // one per configured source

  public SourceRateLimiter(LimitSettings limits) {
    this.rate = limits.rateLimitPerSecond();
    this.burst = Math.max(limits.rateLimitBurst(), limits.rateLimitPerSecond());
  }

  public boolean enabled() {
    return rate > 0;
  }

  public int rate() {
    return rate;
  }

  /** Takes {@code messages} tokens from the source's bucket if it has them; a refused request takes none. */
  public Decision acquire(String source, int messages, long nowNanos) {
    return buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos)).take(messages, nowNanos);
  }

  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized Decision take(int messages, long now) {
      tokens = Math.min(burst, tokens + (now - updated) / 1e9 * rate);
      updated = now;
      long resetSeconds = (long) Math.ceil((burst - tokens) / rate);
      if (messages <= tokens) {
        tokens -= messages;
        return new Decision(true, (long) tokens, (long) Math.ceil((burst - tokens) / rate), 0);
      }
      // a request larger than the whole burst can never pass: say when the bucket is full again anyway
      long wait = (long) Math.ceil((Math.min(messages, burst) - tokens) / rate);
      return new Decision(false, (long) tokens, resetSeconds, Math.max(1, wait));
    }
  }
}
