package io.indicativegateway.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run-time controls of the simulator's answers. Read on event loops for every request, changed from any thread:
 * every field is an atomic or an immutable value behind a volatile reference.
 */
final class Behaviors {

  /** {@link Fault#remaining} value meaning "until cleared". */
  static final long UNLIMITED = -1;

  /** An injected answer: {@code status} (and {@code Retry-After} for throttling) for the next requests. */
  static final class Fault {
    final int status;
    final int retryAfterSeconds;
    private final AtomicLong remaining;

    Fault(int status, int retryAfterSeconds, long count) {
      this.status = status;
      this.retryAfterSeconds = retryAfterSeconds;
      this.remaining = new AtomicLong(count);
    }

    /** Takes one use of this fault; false when it is used up. */
    boolean tryConsume() {
      while (true) {
        long left = remaining.get();
        if (left == UNLIMITED) {
          return true;
        }
        if (left <= 0) {
          return false;
        }
        if (remaining.compareAndSet(left, left - 1)) {
          return true;
        }
      }
    }

    long remaining() {
      return remaining.get();
    }
  }

  /** Ways of answering badly at the transport level, for fault-isolation drills. */
  enum Misbehavior {
    /** Start a 200 answer, then close the connection in the middle of it (the request is not recorded). */
    RESET,
    /** Never answer (the request is not recorded). */
    HANG,
    /** Accept and record, answering 200 with a 10 MB body. */
    HUGE,
    /** Accept and record, answering 200 with a body that is not JSON. */
    GARBAGE,
    /** Refuse with 400 and a 10 MB body (nothing recorded as accepted): a refusal too large to keep whole. */
    HUGE_REFUSAL
  }

  /** @param apiKey only requests for this Indicative project misbehave; {@code null}: every request */
  private record MisbehaviorFault(Misbehavior kind, Fault uses, String apiKey) {}

  private final AtomicReference<MisbehaviorFault> misbehavior = new AtomicReference<>();
  private final AtomicReference<Fault> failure = new AtomicReference<>();
  private final AtomicReference<Fault> throttle = new AtomicReference<>();
  private volatile long delayMs;
  private volatile Set<String> poisonedNames = Set.of();

  void fail(int status, long count) {
    checkStatus(status);
    checkCount(count);
    failure.set(new Fault(status, 0, count));
  }

  void throttle(int retryAfterSeconds, long count) {
    checkRetryAfter(retryAfterSeconds);
    checkCount(count);
    throttle.set(new Fault(429, retryAfterSeconds, count));
  }

  void misbehave(Misbehavior kind, long count, String apiKey) {
    checkCount(count);
    misbehavior.set(new MisbehaviorFault(kind, new Fault(200, 0, count), apiKey));
  }

  /** The misbehavior for the current request (for {@code apiKey}), consuming one use of it, or {@code null}. */
  Misbehavior nextMisbehavior(String apiKey) {
    MisbehaviorFault current = misbehavior.get();
    if (current == null || (current.apiKey() != null && !current.apiKey().equals(apiKey))) {
      return null;
    }
    if (current.uses().tryConsume()) {
      return current.kind();
    }
    misbehavior.compareAndSet(current, null);
    return null;
  }

  void delay(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("delay must be >= 0 ms, got " + ms);
    }
    delayMs = ms;
  }

  void poison(String eventName) {
    if (eventName == null || eventName.isEmpty()) {
      throw new IllegalArgumentException("poisoned eventName must be a non-empty string");
    }
    synchronized (this) {
      Set<String> names = new LinkedHashSet<>(poisonedNames);
      names.add(eventName);
      poisonedNames = Set.copyOf(names);
    }
  }

  void clear() {
    misbehavior.set(null);
    failure.set(null);
    throttle.set(null);
    delayMs = 0;
    poisonedNames = Set.of();
  }

  long delayMs() {
    return delayMs;
  }

  Set<String> poisonedNames() {
    return poisonedNames;
  }

  /**
   * The fault to answer the current request with, consuming one use of it, or {@code null}. A configured failure
   * takes precedence over throttling; only the fault applied is consumed.
   */
  Fault nextFault() {
    Fault fault = claim(failure);
    return fault != null ? fault : claim(throttle);
  }

  private static Fault claim(AtomicReference<Fault> ref) {
    Fault fault = ref.get();
    if (fault == null) {
      return null;
    }
    if (fault.tryConsume()) {
      return fault;
    }
    ref.compareAndSet(fault, null);
    return null;
  }

  /** The current controls, in the format of {@code GET /_simulator/behavior}. */
  JsonObject toJson() {
    Fault f = live(failure.get());
    Fault t = live(throttle.get());
    return new JsonObject()
        .put("fail", f == null ? null : new JsonObject().put("status", f.status).put("count", f.remaining()))
        .put("throttle", t == null ? null
            : new JsonObject().put("retryAfterSeconds", t.retryAfterSeconds).put("count", t.remaining()))
        .put("delayMs", delayMs)
        .put("poisonEventNames", new JsonArray(List.copyOf(poisonedNames)))
        .put("misbehave", liveMisbehavior());
  }

  private JsonObject liveMisbehavior() {
    MisbehaviorFault m = misbehavior.get();
    return m == null || m.uses().remaining() == 0 ? null
        : withApiKey(new JsonObject().put("kind", m.kind().name().toLowerCase()).put("count", m.uses().remaining()),
            m.apiKey());
  }

  private static JsonObject withApiKey(JsonObject json, String apiKey) {
    return apiKey == null ? json : json.put("apiKey", apiKey);
  }

  private static Fault live(Fault fault) {
    return fault == null || fault.remaining() == 0 ? null : fault;
  }

  /**
   * Applies a {@code POST /_simulator/behavior} body. Everything is validated before anything changes.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  void apply(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw invalid("unknown field " + key
            + " (expected clear, fail, throttle, delayMs, poisonEventNames, misbehave)");
      }
    }
    boolean clear = false;
    if (body.containsKey("clear")) {
      if (!(body.getValue("clear") instanceof Boolean b)) {
        throw invalid("clear must be a boolean");
      }
      clear = b;
    }
    Fault newFailure = body.containsKey("fail") ? parseFailure(body.getValue("fail")) : null;
    Fault newThrottle = body.containsKey("throttle") ? parseThrottle(body.getValue("throttle")) : null;
    Long newDelay = null;
    if (body.containsKey("delayMs")) {
      Long ms = integral(body.getValue("delayMs"));
      if (ms == null || ms < 0) {
        throw invalid("delayMs must be an integer >= 0");
      }
      newDelay = ms;
    }
    MisbehaviorFault newMisbehavior = null;
    if (body.getValue("misbehave") != null) {
      JsonObject m = faultObject(body.getValue("misbehave"), "misbehave", "kind", "apiKey");
      Misbehavior kind;
      try {
        kind = Misbehavior.valueOf(String.valueOf(m.getValue("kind")).toUpperCase());
      } catch (IllegalArgumentException e) {
        throw invalid("misbehave.kind must be one of reset, hang, huge, garbage, huge_refusal");
      }
      long count = parseCount(m, "misbehave");
      Object apiKey = m.getValue("apiKey");
      if (apiKey != null && (!(apiKey instanceof String key) || key.isEmpty())) {
        throw invalid("misbehave.apiKey must be a non-empty string (only that project's requests misbehave)");
      }
      newMisbehavior = new MisbehaviorFault(kind, new Fault(200, 0, count), (String) apiKey);
    }
    List<String> newPoison = null;
    if (body.containsKey("poisonEventNames")) {
      if (!(body.getValue("poisonEventNames") instanceof JsonArray array)) {
        throw invalid("poisonEventNames must be an array of non-empty strings");
      }
      newPoison = new ArrayList<>();
      for (Object name : array) {
        if (!(name instanceof String s) || s.isEmpty()) {
          throw invalid("poisonEventNames must be an array of non-empty strings");
        }
        newPoison.add(s);
      }
    }

    synchronized (this) {
      if (clear) {
        clear();
      }
      if (body.containsKey("fail")) {
        failure.set(newFailure);
      }
      if (body.containsKey("throttle")) {
        throttle.set(newThrottle);
      }
      if (newDelay != null) {
        delayMs = newDelay;
      }
      if (newPoison != null) {
        poisonedNames = Set.copyOf(newPoison);
      }
      if (body.containsKey("misbehave")) {
        misbehavior.set(newMisbehavior);
      }
    }
  }

  private static final Set<String> FIELDS = Set.of("clear", "fail", "throttle", "delayMs", "poisonEventNames",
      "misbehave");

  /** {@code null} clears; else {@code {"status": 503, "count": 3}}, count absent or -1 meaning until cleared. */
  private static Fault parseFailure(Object value) {
    if (value == null) {
      return null;
    }
    JsonObject json = faultObject(value, "fail", "status");
    if (!(json.getValue("status") instanceof Integer status) || status < 100 || status > 599) {
      throw invalid("fail.status must be an HTTP status 100..599");
    }
    return new Fault(status, 0, parseCount(json, "fail"));
  }

  /** {@code null} clears; else {@code {"retryAfterSeconds": 2, "count": 3}}, count as for failures. */
  private static Fault parseThrottle(Object value) {
    if (value == null) {
      return null;
    }
    JsonObject json = faultObject(value, "throttle", "retryAfterSeconds");
    if (!(json.getValue("retryAfterSeconds") instanceof Integer seconds) || seconds < 0) {
      throw invalid("throttle.retryAfterSeconds must be an integer >= 0");
    }
    return new Fault(429, seconds, parseCount(json, "throttle"));
  }

  private static JsonObject faultObject(Object value, String field, String mainKey, String... optional) {
    if (!(value instanceof JsonObject json)) {
      throw invalid(field + " must be an object or null");
    }
    List<String> known = new ArrayList<>(List.of(mainKey, "count"));
    known.addAll(List.of(optional));
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw invalid("unknown field " + field + "." + key + " (expected " + String.join(", ", known) + ")");
      }
    }
    return json;
  }

  private static long parseCount(JsonObject json, String field) {
    if (!json.containsKey("count")) {
      return UNLIMITED;
    }
    Long count = integral(json.getValue("count"));
    if (count == null || (count < 1 && count != UNLIMITED)) {
      throw invalid(field + ".count must be an integer >= 1, or -1 (or absent) for until cleared");
    }
    return count;
  }

  private static Long integral(Object value) {
    return value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
  }

  private static void checkStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status 100..599, got " + status);
    }
  }

  private static void checkCount(long count) {
    if (count < 1 && count != UNLIMITED) {
      throw new IllegalArgumentException("count must be >= 1 (or -1 for until cleared), got " + count);
    }
  }

  private static void checkRetryAfter(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0, got " + seconds);
    }
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(message);
  }
}
