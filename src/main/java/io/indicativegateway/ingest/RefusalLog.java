package io.indicativegateway.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import org.slf4j.spi.NOPLoggingEventBuilder;

/**
 * Log lines about refused requests, at most one per kind every few seconds with the number left out since, so a
 * client that keeps sending bad requests cannot flood the log. Confined to one event loop: one per verticle
 * instance. Kinds are a small fixed set (statuses, causes), never values a client chooses.
 */
final class RefusalLog {

  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final Map<String, Window> windows = new HashMap<>();

  RefusalLog(Logger log) {
    this.log = log;
  }

  /** A line to fill in and log, or one that logs nothing when a line of this kind was logged just now. */
  LoggingEventBuilder at(Level level, String kind) {
    if (!log.isEnabledForLevel(level)) {
      return NOPLoggingEventBuilder.singleton();
    }
    long now = System.nanoTime();
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    if (window.logged && now - window.lastNanos < INTERVAL_NANOS) {
      window.suppressed++;
      return NOPLoggingEventBuilder.singleton();
    }
    LoggingEventBuilder line = log.atLevel(level);
    if (window.suppressed > 0) {
      line = line.addKeyValue("suppressedSinceLast", window.suppressed);
    }
    window.logged = true;
    window.lastNanos = now;
    window.suppressed = 0;
    return line;
  }

  /**
   * The line for a refusal with this status: those an operator may need to explain (keys, sizes, rate limits, a
   * full or failing store); the caller's own mistakes (400) are answered and counted, not logged.
   */
  LoggingEventBuilder forStatus(int status) {
    Level level = switch (status) {
      case 401, 413, 429 -> Level.INFO;
      case 503 -> Level.WARN;
      default -> null;
    };
    return level == null ? NOPLoggingEventBuilder.singleton() : at(level, Integer.toString(status));
  }

  /** Whether this line will be written: filling in its fields is wasted work otherwise. */
  static boolean writes(LoggingEventBuilder line) {
    return !(line instanceof NOPLoggingEventBuilder);
  }

  private static final class Window {
    boolean logged;
    long lastNanos;
    long suppressed;
  }
}
