package io.indicativegateway.translate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread-safe map that forgets its least recently used entry beyond a fixed size. Callers compute missing values
 * outside the lock, so a slow computation never blocks other threads' hits (two threads may compute the same
 * value once; both results are equal).
 */
final class BoundedLruCache<K, V> {

  private final int capacity;
  private final Map<K, V> entries;

  BoundedLruCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > BoundedLruCache.this.capacity;
      }
    };
  }

  /** The cached value, or {@code null}. */
  synchronized V get(K key) {
    return entries.get(key);
  }

  synchronized void put(K key, V value) {
    if (capacity > 0) {
      entries.put(key, value);
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
