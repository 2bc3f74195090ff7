package io.indicativegateway.translate;


import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.translate.IndicativeItem.Kind;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Translates every example message of the Segment specification (shared test data) as ingestion would store it,
 * with a gateway {@code receivedAt}, and checks the contract's invariants on every output.
 */
class SpecExamplesTest {

  private static final Path EXAMPLES = Path.of("../shared/data/segment-spec-examples/all.ndjson");
  private static final String RECEIVED_AT = "2026-12-03T15:49:43.123Z";

  private static List<JsonObject> messages;

  @BeforeAll
  static void load() throws IOException {
    messages = Files.readAllLines(EXAMPLES, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .map(JsonObject::new)
        .map(m -> m.put("receivedAt", RECEIVED_AT))
        .toList();
  }

  @TestFactory
  Stream<DynamicTest> everyExampleTranslatesWithinTheContract() {
    SegmentTranslator translator = Translators.defaults();
    return Stream.iterate(0, i -> i < messages.size(), i -> i + 1).map(i -> {
      JsonObject message = messages.get(i);
      String type = message.getString("type");
      String label = "line " + (i + 1) + ": " + type + " " + message.getValue("event", message.getValue("name", ""));
      return DynamicTest.dynamicTest(label, () -> {
        List<IndicativeItem> items = translator.translate(message);
        assertThat(items).as(label).isNotEmpty();
        ItemInvariants.assertValid(type, items, 255);
        for (IndicativeItem item : items) {
          assertThat(TranslatorPropertiesTest.jsonTokens(ItemEncoder.encode(item.body()))).as(label)
              .isEqualTo(TranslatorPropertiesTest.jsonTokens(item.body().toBuffer()));
        }
      });
    });
  }

  @Test
  void allExamplesAreReadAndEveryCallTypeIsCovered() {
    Map<String, Long> byType = new TreeMap<>();
    messages.forEach(m -> byType.merge(m.getString("type"), 1L, Long::sum));
    // Counts published in the examples' INDEX.md.
    assertThat(byType).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "alias", 3L, "group", 3L, "identify", 8L, "page", 4L, "screen", 2L, "track", 112L)));
  }

  @Test
  void fullExampleKeepsItsPropertiesCampaignAndUserAgent() {
    // common-01: the documented "full" track call, with campaign, page and user-agent context.
    JsonObject common01 = messages.stream()
        .filter(m -> "Report Submitted".equals(m.getValue("event")) && m.getJsonObject("context").containsKey("campaign"))
        .findFirst().orElseThrow();
    IndicativeItem item = Translators.defaults().translate(common01).get(0);
    JsonObject properties = item.body().getJsonObject("properties");

    assertThat(item.kind()).isEqualTo(Kind.EVENT);
    assertThat(item.body().getString("eventUniqueId")).isEqualTo("97980cfea0067");
    assertThat(properties.getString("campaign.name")).isEqualTo("TPS Innovation Newsletter");
    assertThat(properties.getString("browser")).isEqualTo("Chrome");
    assertThat(properties.getString("os")).isEqualTo("Mac OS X 10");
    assertThat(properties.containsKey("path")).as("context.page is merged into pages only").isFalse();
    // timestamp .905 sent at .581: the event happened 324 ms after sending by the client's clock
    assertThat(item.body().getLong("eventTime"))
        .isEqualTo(java.time.Instant.parse(RECEIVED_AT).toEpochMilli() + 324);
  }

  @Test
  void identifyWithAnonymousIdAliasesIt() {
    long identifiesWithAlias = messages.stream()
        .filter(m -> "identify".equals(m.getString("type")))
        .map(Translators.defaults()::translate)
        .filter(items -> items.size() == 2)
        .peek(items -> assertThat(items.get(1).body().getString("newId"))
            .isEqualTo(items.get(0).body().getString("uniqueId")))
        .count();
    assertThat(identifiesWithAlias).isPositive();
  }
}
