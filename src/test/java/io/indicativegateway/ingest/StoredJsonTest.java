package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredJsonTest {

  private final SegmentJsonReader reader = new SegmentJsonReader(100);
  private static final String RECEIVED = "2026-12-03T12:00:00.000Z";

  /** What translation reads back: a JSON object where the last copy of a repeated key wins. */
  private static JsonObject readBack(byte[] stored) {
    return new JsonObject(Buffer.buffer(stored));
  }

  @Test
  void keepsTheClientsBytesAndAppendsWhatEnrichmentSetAndTheAppendedValuesWin() {
    String body = "{\"batch\":[ {\"type\":\"TRACK\",\"userId\":\"u\",\"event\":42,\"receivedAt\":\"1999\","
        + "\"writeKey\":\"secret\",\"properties\":{\"a\":1}} ],\"context\":{\"library\":{\"name\":\"lib\"}},"
        + "\"sentAt\":\"2026-12-03T11:59:59Z\"}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    JsonObject message = parsed.root().getJsonArray("batch").getJsonObject(0);
    StoredJson.Declared declared = StoredJson.Declared.of(message);
    assertThat(MessageValidator.validate(message, null)).isNull();
    int changes = MessageEnricher.enrich(message, parsed.root(), RECEIVED) | declared.changes(message);
    assertThat(changes & (StoredJson.TYPE_CHANGED | StoredJson.MESSAGE_ID_CHANGED | StoredJson.EVENT_CHANGED))
        .isEqualTo(StoredJson.TYPE_CHANGED | StoredJson.MESSAGE_ID_CHANGED | StoredJson.EVENT_CHANGED);
    byte[] stored = new StoredJson(RECEIVED).of(message, parsed.batchSpans(), 0, changes);

    String text = new String(stored, StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"type\":\"TRACK\",\"userId\":\"u\"");
    JsonObject back = readBack(stored);
    assertThat(back.getString("type")).isEqualTo("track");
    assertThat(back.getString("event")).isEqualTo("42");
    assertThat(back.getString("receivedAt")).isEqualTo(RECEIVED);
    assertThat(back.getString("messageId")).isEqualTo(message.getString("messageId"));
    assertThat(back.getValue("writeKey")).isNull();
    assertThat(back.getJsonObject("context")).isEqualTo(new JsonObject("{\"library\":{\"name\":\"lib\"}}"));
    assertThat(back.getString("sentAt")).isEqualTo("2026-12-03T11:59:59Z");
    assertThat(back.getJsonObject("properties").getInteger("a")).isEqualTo(1);
  }

  @Test
  void aDeepMergeIsSerializedWhole() {
    String body = "{\"batch\":[{\"type\":\"page\",\"userId\":\"u\",\"context\":{\"ip\":\"1.2.3.4\"}}],"
        + "\"context\":{\"library\":{\"name\":\"lib\"}}}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    JsonObject message = parsed.root().getJsonArray("batch").getJsonObject(0);
    MessageValidator.validate(message, null);
    int changes = MessageEnricher.enrich(message, parsed.root(), RECEIVED);
    assertThat(changes & MessageEnricher.MERGED_DEEP).isNotZero();
    JsonObject back = readBack(new StoredJson(RECEIVED).of(message, parsed.batchSpans(), 0, changes));
    assertThat(back.getJsonObject("context")).isEqualTo(new JsonObject(
        "{\"ip\":\"1.2.3.4\",\"library\":{\"name\":\"lib\"}}"));
    assertThat(back).isEqualTo(message);
  }

  @Test
  void appendsToEmptyAndSpacedObjectsAndEscapesStrings() {
    JsonObject enriched = new JsonObject().put("type", "page").put("messageId", "id \"quoted\" \u00e9")
        .put("receivedAt", RECEIVED);
    for (String raw : new String[] {"{}", "{ \n }", "{\"a\":2 }"}) {
      byte[] body = ("[" + raw + "]").getBytes(StandardCharsets.UTF_8);
      byte[] stored = new StoredJson(RECEIVED).of(enriched, new RawSpans(body, new int[] {1},
          new int[] {body.length - 2}, null), 0, StoredJson.TYPE_CHANGED | StoredJson.MESSAGE_ID_CHANGED);
      JsonObject back = readBack(stored);
      assertThat(back.getString("messageId")).as(raw).isEqualTo("id \"quoted\" \u00e9");
      assertThat(back.getString("type")).isEqualTo("page");
      assertThat(back.getValue("a")).isEqualTo(raw.contains("a") ? 2 : null);
      assertThat(back.getString("receivedAt")).isEqualTo(RECEIVED);
    }
  }

  @Test
  void fieldsTheClientSentAsTheyAreStoredAreNotWrittenAgain() {
    String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"m-1\",\"userId\":\"u\",\"event\":\"E\"},"
        + "{\"type\":\"track\",\"messageId\":\"m-2\",\"userId\":\"u\",\"event\":\"E\"}],"
        + "\"sentAt\":\"2026-12-03T11:59:59Z\"}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    StoredJson storedJson = new StoredJson(RECEIVED);
    for (int i = 0; i < 2; i++) {
      JsonObject message = parsed.root().getJsonArray("batch").getJsonObject(i);
      StoredJson.Declared declared = StoredJson.Declared.of(message);
      assertThat(MessageValidator.validate(message, null)).isNull();
      int changes = MessageEnricher.enrich(message, parsed.root(), RECEIVED) | declared.changes(message);
      String stored = new String(storedJson.of(message, parsed.batchSpans(), i, changes), StandardCharsets.UTF_8);
      assertThat(stored).isEqualTo("{\"type\":\"track\",\"messageId\":\"m-" + (i + 1)
          + "\",\"userId\":\"u\",\"event\":\"E\",\"receivedAt\":\"" + RECEIVED
          + "\",\"sentAt\":\"2026-12-03T11:59:59Z\"}");
      assertThat(readBack(stored.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
    }
  }
}
