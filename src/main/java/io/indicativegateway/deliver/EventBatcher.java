package io.indicativegateway.deliver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** Splits events into request batches of at most {@code maxEvents} and at most {@code maxBytes} of body. */
final class EventBatcher {

  private EventBatcher() {}

  /**
   * @param overhead bytes of the body around the events ({@code {"apiKey":...,"events":[]}})
   * @return batches in input order; an item too large to fit even alone forms a batch of its own
   */
  static <T> List<List<T>> split(List<T> items, ToIntFunction<T> sizeOf, int maxEvents, int maxBytes,
                                 int overhead) {
    List<List<T>> batches = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long bytes = overhead;
    for (T item : items) {
      int size = sizeOf.applyAsInt(item) + (current.isEmpty() ? 0 : 1); // comma
      if (!current.isEmpty() && (current.size() >= maxEvents || bytes + size > maxBytes)) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = overhead;
        size = sizeOf.applyAsInt(item);
      }
      current.add(item);
      bytes += size;
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }
}
