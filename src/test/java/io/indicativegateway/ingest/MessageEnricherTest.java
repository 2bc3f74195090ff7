package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MessageEnricherTest {

  private static final String RECEIVED = "2026-12-03T15:00:00.000Z";

  @Test
  void addsMessageIdAndItsOwnReceivedAtAndDropsTheWriteKey() {
    JsonObject message = new JsonObject().put("userId", "u").put("receivedAt", "2015-01-01T00:00:00Z")
        .put("writeKey", "secret");
    MessageEnricher.enrich(message, null, RECEIVED);
    assertThat(message.getString("messageId")).matches("[0-9a-f-]{36}");
    assertThat(message.getString("receivedAt")).isEqualTo(RECEIVED);
    assertThat(message.containsKey("writeKey")).isFalse();

    JsonObject withId = new JsonObject().put("messageId", "mine");
    MessageEnricher.enrich(withId, null, RECEIVED);
    assertThat(withId.getString("messageId")).isEqualTo("mine");
  }

  @Test
  void batchContextIntegrationsAndSentAtFillWhatTheMessageLacksAndTheMessageWins() {
    JsonObject batch = new JsonObject("""
        {"sentAt":"2026-12-03T14:59:59.000Z",
         "context":{"library":{"name":"analytics-java","version":"3.5.1"},"ip":"203.0.113.9","locale":"en-US"},
         "integrations":{"All":false,"Indicative":true}}""");
    JsonObject message = new JsonObject("""
        {"context":{"ip":"203.0.113.1","library":{"version":"9"}},"integrations":{"Indicative":false}}""");
    MessageEnricher.enrich(message, batch, RECEIVED);
    assertThat(message.getJsonObject("context")).isEqualTo(new JsonObject("""
        {"ip":"203.0.113.1","library":{"version":"9","name":"analytics-java"},"locale":"en-US"}"""));
    assertThat(message.getJsonObject("integrations")).isEqualTo(new JsonObject(
        "{\"Indicative\":false,\"All\":false}"));
    assertThat(message.getString("sentAt")).isEqualTo("2026-12-03T14:59:59.000Z");

    JsonObject ownSentAt = new JsonObject().put("sentAt", "2026-12-03T14:00:00Z");
    MessageEnricher.enrich(ownSentAt, batch, RECEIVED);
    assertThat(ownSentAt.getString("sentAt")).isEqualTo("2026-12-03T14:00:00Z");
    assertThat(ownSentAt.getJsonObject("context").getString("locale")).isEqualTo("en-US");
  }

  @Test
  void theBatchContextIsCopiedNotShared() {
    JsonObject batch = new JsonObject("{\"context\":{\"a\":{\"b\":1}}}");
    JsonObject one = new JsonObject();
    JsonObject two = new JsonObject();
    MessageEnricher.enrich(one, batch, RECEIVED);
    MessageEnricher.enrich(two, batch, RECEIVED);
    one.getJsonObject("context").getJsonObject("a").put("b", 2);
    assertThat(two.getJsonObject("context").getJsonObject("a").getInteger("b")).isEqualTo(1);
  }

  @Test
  void integrationsDecideWhetherIndicativeGetsTheMessage() {
    assertThat(sends(null)).isTrue();
    assertThat(sends("{}")).isTrue();
    assertThat(sends("{\"All\":true,\"Mixpanel\":false}")).isTrue();
    assertThat(sends("{\"Indicative\":false}")).isFalse();
    assertThat(sends("{\"All\":true,\"Indicative\":false}")).isFalse();
    assertThat(sends("{\"All\":false}")).isFalse();
    assertThat(sends("{\"All\":false,\"Indicative\":true}")).isTrue();
    assertThat(sends("{\"All\":false,\"Indicative\":{\"option\":1}}")).isTrue();
    assertThat(sends("{\"all\":false,\"indicative\":true}")).isTrue();
  }

  private static boolean sends(String integrations) {
    JsonObject message = new JsonObject();
    if (integrations != null) {
      message.put("integrations", new JsonObject(integrations));
    }
    return MessageEnricher.sendsToIndicative(message);
  }

  @Test
  void receivedAtAlwaysHasMilliseconds() {
    assertThat(MessageEnricher.formatReceivedAt(1_700_000_000_000L)).isEqualTo("2023-11-14T22:13:20.000Z");
  }
}
