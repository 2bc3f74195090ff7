package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedLruCacheTest {

  @Test
  void forgetsTheLeastRecentlyUsedEntry() {
    BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a"); // "b" is now the least recently used
    cache.put("c", 3);

    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("c")).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void zeroCapacityKeepsNothing() {
    BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(0);
    cache.put("a", 1);

    assertThat(cache.get("a")).isNull();
    assertThat(cache.size()).isZero();
  }
}
