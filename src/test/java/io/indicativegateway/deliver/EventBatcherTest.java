package io.indicativegateway.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventBatcherTest {

  @Test
  void splitsByEventCount() {
    List<Integer> sizes = Collections.nCopies(250, 10);
    List<List<Integer>> batches = EventBatcher.split(sizes, s -> s, 100, 1_000_000, 50);
    assertThat(batches).extracting(List::size).containsExactly(100, 100, 50);
  }

  @Test
  void splitsByBodyBytesCountingCommasAndOverhead() {
    // overhead 10, items of 100 bytes: 10 + 100 + (1 + 100) * n <= 500 -> 4 per batch (10+100+303=413; 5th: 514)
    List<List<Integer>> batches = EventBatcher.split(Collections.nCopies(9, 100), s -> s, 100, 500, 10);
    assertThat(batches).extracting(List::size).containsExactly(4, 4, 1);
    for (List<Integer> batch : batches) {
      int body = 10 + batch.stream().mapToInt(Integer::intValue).sum() + batch.size() - 1;
      assertThat(body).isLessThanOrEqualTo(500);
    }
  }

  @Test
  void keepsOrderAndPutsAnOversizeItemAlone() {
    List<Integer> items = List.of(1, 2, 900, 3);
    List<List<Integer>> batches = EventBatcher.split(items, s -> s, 100, 500, 0);
    assertThat(batches).containsExactly(List.of(1, 2), List.of(900), List.of(3));
    assertThat(EventBatcher.split(List.<Integer>of(), s -> s, 100, 500, 0)).isEmpty();
    assertThat(EventBatcher.split(IntStream.range(0, 5).boxed().toList(), s -> 1, 1, 500, 0)).hasSize(5);
  }
}
