package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code translate/eventtime.json}: each case's message must get {@code expectedEventTime} (an ISO-8601
 * instant, or {@code null} for no event at all), both from {@link EventTimeResolver} and in the translated event.
 */
class EventTimeTableTest {

  static final String FILE = "eventtime.json";

  @TestFactory
  Stream<DynamicTest> cases() {
    return CaseFile.load(FILE).cases().stream()
        .map(c -> DynamicTest.dynamicTest(c.getString("name"), () -> check(c)));
  }

  private static void check(JsonObject testCase) {
    JsonObject message = testCase.getJsonObject("input");
    String expected = testCase.getString("expectedEventTime");
    String name = FILE + ": " + testCase.getString("name");

    OptionalLong resolved = EventTimeResolver.resolve(message);
    List<IndicativeItem> items = Translators.defaults().translate(message);

    if (expected == null) {
      assertThat(resolved).as(name).isEmpty();
      assertThat(items).as(name).isEmpty();
    } else {
      long expectedMillis = Instant.parse(expected).toEpochMilli();
      assertThat(resolved).as(name).hasValue(expectedMillis);
      assertThat(items).as(name).hasSize(1);
      assertThat(items.get(0).body().getValue("eventTime")).as(name).isEqualTo(expectedMillis);
    }
  }
}
