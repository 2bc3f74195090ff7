package io.indicativegateway.bench;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bodies for the load generator, built once: each event's messageId ends in a fixed-width number, and
 * each request only patches those digits, so every message is unique (dedup cannot flatter the numbers) while
 * the generator spends almost nothing per request.
 */
final class BodyTemplate {

  private static final int DIGITS = 12;
  private static final String PLACEHOLDER = "0".repeat(DIGITS);

  private final byte[] template;
  private final int[] slots; // offsets of each event's number (appears several times per event)
  private final int eventsPerBody;

  private BodyTemplate(byte[] template, int[] slots, int eventsPerBody) {
    this.template = template;
    this.slots = slots;
    this.eventsPerBody = eventsPerBody;
  }

  static BodyTemplate batch(String runId, int size) {
    StringBuilder body = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < size; i++) {
      body.append(i == 0 ? "" : ",").append(LoadGenerator.event(runId, marker(i), false));
    }
    body.append("],\"sentAt\":\"").append(java.time.Instant.now()).append("\"}");
    return of(body.toString(), size);
  }

  static BodyTemplate single(String runId) {
    return of(LoadGenerator.event(runId, marker(0), true), 1);
  }

  /** A distinct placeholder per event, so its occurrences can be found. */
  private static String marker(int i) {
    return "9" + String.format("%0" + (DIGITS - 1) + "d", i);
  }

  private static BodyTemplate of(String text, int events) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      byte[] marker = marker(i).getBytes(StandardCharsets.UTF_8);
      for (int at = indexOf(bytes, marker, 0); at >= 0; at = indexOf(bytes, marker, at + 1)) {
        offsets.add(at);
        offsets.add(i);
      }
    }
    return new BodyTemplate(bytes, offsets.stream().mapToInt(Integer::intValue).toArray(), events);
  }

  /** A copy of the template with fresh, unique numbers. */
  Buffer next(AtomicLong sequence) {
    long first = sequence.getAndAdd(eventsPerBody);
    byte[] body = template.clone();
    for (int k = 0; k < slots.length; k += 2) {
      long n = first + slots[k + 1];
      int end = slots[k] + DIGITS;
      for (int d = end - 1; d >= slots[k]; d--) {
        body[d] = (byte) ('0' + n % 10);
        n /= 10;
      }
    }
    return Buffer.buffer(body);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
