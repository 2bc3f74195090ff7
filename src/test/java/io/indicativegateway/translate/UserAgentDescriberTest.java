package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UserAgentDescriberTest {

  private static final String CHROME_MAC =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/113.0.0.0 Safari/537.36";
  private static final String SAFARI_IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1";

  @Test
  void describesRealBrowsers() {
    UserAgentDescriber describer = new UserAgentDescriber(10);

    assertThat(describer.describe(CHROME_MAC)).isEqualTo(new UserAgentFields("Chrome", "113.0.0", "Mac OS X 10", "Mac"));
    assertThat(describer.describe(SAFARI_IPHONE))
        .isEqualTo(new UserAgentFields("Mobile Safari", "17.1.2", "iOS 17", "iPhone"));
  }

  @Test
  void cacheIsBoundedAndServesRepeats() {
    UserAgentDescriber describer = new UserAgentDescriber(3);
    for (int i = 0; i < 10; i++) {
      describer.describe(CHROME_MAC.replace("113.0.0.0", "113.0.0." + i));
    }

    assertThat(describer.cachedEntries()).isEqualTo(3);
    assertThat(describer.describe(CHROME_MAC.replace("113.0.0.0", "113.0.0.9")))
        .isSameAs(describer.describe(CHROME_MAC.replace("113.0.0.0", "113.0.0.9")));
  }

  @Test
  void zeroCacheSizeCachesNothing() {
    UserAgentDescriber describer = new UserAgentDescriber(0);

    assertThat(describer.describe(CHROME_MAC).browser()).isEqualTo("Chrome");
    assertThat(describer.cachedEntries()).isZero();
  }

  @Test
  void concurrentUseGivesTheSameAnswersAsSequentialUse() throws Exception {
    UserAgentDescriber shared = new UserAgentDescriber(8);
    UserAgentDescriber reference = new UserAgentDescriber(0);
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      agents.add((i % 2 == 0 ? CHROME_MAC : SAFARI_IPHONE).replace("537.36", "537." + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          for (int round = 0; round < 3; round++) {
            for (int i = 0; i < agents.size(); i++) {
              String ua = agents.get((i + offset * 7) % agents.size());
              if (!shared.describe(ua).equals(reference.describe(ua))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(shared.cachedEntries()).isLessThanOrEqualTo(8);
  }

  @Test
  void hugeUserAgentIsParsedOnlyInPart() {
    UserAgentDescriber describer = new UserAgentDescriber(10);
    String huge = SAFARI_IPHONE + " x".repeat(100_000);

    long start = System.nanoTime();
    UserAgentFields fields = describer.describe(huge);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(fields.browser()).isEqualTo("Mobile Safari");
    assertThat(took).as("a 200 KB user agent would take seconds to parse whole").isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void noUserAgentNoFields() {
    UserAgentDescriber describer = new UserAgentDescriber(10);

    assertThat(describer.describe(null)).isEqualTo(UserAgentFields.NONE);
    assertThat(describer.describe("  ")).isEqualTo(UserAgentFields.NONE);
    assertThat(describer.describe("x")).isEqualTo(UserAgentFields.NONE);
  }
}
