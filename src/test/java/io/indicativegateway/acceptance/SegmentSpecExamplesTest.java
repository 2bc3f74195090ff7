package io.indicativegateway.acceptance;

import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.indicativegateway.ingest.MessageEnricher;
import io.indicativegateway.ingest.MessageValidator;
import io.indicativegateway.translate.IndicativeItem;
import io.indicativegateway.translate.SegmentTranslator;
import io.indicativegateway.translate.TranslationSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 132 example messages of Segment's public spec, sent through a running gateway: every one is accepted,
 * messages sharing a messageId are delivered once (the first copy), and what reaches Indicative is exactly what
 * the translation rules make of them.
 */
@ExtendWith(VertxExtension.class)
class SegmentSpecExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "shared", "data", "segment-spec-examples", "all.ndjson");

  private static List<JsonObject> examples() throws Exception {
    return Files.readAllLines(EXAMPLES).stream().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
  }

  @Test
  void allExamplesInOneBatchAreAcceptedAndDeliveredTranslatedOncePerMessageId(Vertx vertx, @TempDir Path dir)
      throws Exception {
    List<JsonObject> messages = examples();
    assertThat(messages).hasSize(132);
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      JsonArray batch = new JsonArray();
      messages.forEach(m -> batch.add(m.copy()));
      HttpResponse<Buffer> response = gw.send("/v1/batch", WRITE_KEY, new JsonObject().put("batch", batch));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getInteger("accepted")).isEqualTo(132);
      assertThat(response.bodyAsJsonObject().getJsonArray("rejected")).isEmpty();
      assertDeliveredAsTranslated(gw, messages);
      // 6 copies of one id (one of them, an identify with integrations.All=false, is filtered out before the
      // dedup check) and 2 of another: 4 + 1 duplicates
      assertThat(gw.gateway.metrics().total("gateway.messages.filtered")).isEqualTo(1);
      assertThat(gw.gateway.metrics().total("gateway.messages.duplicates")).isEqualTo(5);
    }
  }

  @Test
  void eachExampleSentToItsOwnEndpointIsAcceptedAndDeliveredTranslated(Vertx vertx, @TempDir Path dir)
      throws Exception {
    List<JsonObject> messages = examples();
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      for (JsonObject message : messages) {
        HttpResponse<Buffer> response = gw.send("/v1/" + message.getString("type"), WRITE_KEY, message.copy());
        assertThat(response.statusCode()).as(message.encode()).isEqualTo(200);
      }
      assertDeliveredAsTranslated(gw, messages);
    }
  }

  /** What Indicative must receive: the translation of the first copy of each messageId, one alias per pair. */
  private static void assertDeliveredAsTranslated(GatewayHarness gw, List<JsonObject> messages) throws Exception {
    SegmentTranslator translator = new SegmentTranslator(TranslationSettings.defaults());
    Set<String> seenIds = new HashSet<>();
    Set<String> aliasPairs = new HashSet<>();
    List<String> expectedEvents = new ArrayList<>();
    List<String> expectedIdentifies = new ArrayList<>();
    List<String> expectedAliases = new ArrayList<>();
    for (JsonObject original : messages) {
      JsonObject message = original.copy();
      assertThat(MessageValidator.validate(message, null)).as(original.encode()).isNull();
      MessageEnricher.enrich(message, null, MessageEnricher.formatReceivedAt(System.currentTimeMillis()));
      if (!MessageEnricher.sendsToIndicative(message)) {
        continue; // its integrations exclude Indicative
      }
      if (original.getString("messageId") != null && !seenIds.add(original.getString("messageId"))) {
        continue; // a duplicate: not forwarded again
      }
      for (IndicativeItem item : translator.translate(message)) {
        JsonObject body = item.body().copy().put("apiKey", PROJECT_KEY);
        switch (item.kind()) {
          case EVENT -> expectedEvents.add(withoutTime(body));
          case IDENTIFY -> expectedIdentifies.add(canonical(body));
          case ALIAS -> {
            if (aliasPairs.add(body.getString("previousId") + ">" + body.getString("newId"))) {
              expectedAliases.add(canonical(body));
            }
          }
        }
      }
    }
    eventually(Duration.ofSeconds(30), "everything delivered", () ->
        gw.simulator.events().size() >= expectedEvents.size()
            && gw.simulator.identifies().size() >= expectedIdentifies.size()
            && gw.simulator.aliases().size() >= expectedAliases.size()
            && gw.gateway.store().undeliveredCount() == 0);
    assertThat(gw.simulator.events().stream().map(SegmentSpecExamplesTest::withoutTime).toList())
        .containsExactlyInAnyOrderElementsOf(expectedEvents);
    assertThat(gw.simulator.events()).allSatisfy(e ->
        assertThat(e.getLong("eventTime")).isGreaterThan(946_684_800_000L)); // after 2000-01-01
    assertThat(gw.simulator.identifies().stream().map(SegmentSpecExamplesTest::canonical).toList())
        .containsExactlyInAnyOrderElementsOf(expectedIdentifies);
    assertThat(gw.simulator.aliases().stream().map(SegmentSpecExamplesTest::canonical).toList())
        .containsExactlyInAnyOrderElementsOf(expectedAliases);
    assertThat(expectedEvents.size() + expectedIdentifies.size()).isGreaterThan(110);
  }

  private static String withoutTime(JsonObject event) {
    JsonObject copy = event.copy();
    copy.remove("eventTime");
    return canonical(copy);
  }

  /** Key order does not matter to Indicative: compare sorted. */
  private static String canonical(JsonObject json) {
    return sorted(json).encode();
  }

  private static JsonObject sorted(JsonObject json) {
    Map<String, Object> map = new TreeMap<>();
    json.forEach(e -> map.put(e.getKey(), e.getValue() instanceof JsonObject o ? sorted(o) : e.getValue()));
    JsonObject out = new JsonObject();
    map.forEach(out::put);
    return out;
  }
}
