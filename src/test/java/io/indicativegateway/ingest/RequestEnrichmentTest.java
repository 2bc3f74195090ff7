package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What enrichment takes from the HTTP request: context.ip and a browser's context.userAgent, only when absent. */
class RequestEnrichmentTest {

  private static final String RECEIVED = "2026-12-03T12:00:00.000Z";
  private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/156.0.0.0 Safari/537.36";
  private static final RequestOrigin BROWSER = new RequestOrigin("203.0.113.9", CHROME);
  private final SegmentJsonReader reader = new SegmentJsonReader(100);

  private static JsonObject enriched(String message, RequestOrigin origin) {
    JsonObject json = new JsonObject(message);
    MessageEnricher.enrich(json, null, RECEIVED, origin);
    return json;
  }

  @Test
  void fillsTheClientAddressAndTheBrowsersUserAgentWhenTheMessageHasNone() {
    assertThat(enriched("{\"userId\":\"u\"}", BROWSER).getJsonObject("context"))
        .isEqualTo(new JsonObject().put("ip", "203.0.113.9").put("userAgent", CHROME));
    assertThat(enriched("{\"userId\":\"u\",\"context\":{\"locale\":\"en\"}}", BROWSER).getJsonObject("context"))
        .isEqualTo(new JsonObject().put("locale", "en").put("ip", "203.0.113.9").put("userAgent", CHROME));
    assertThat(enriched("{\"userId\":\"u\",\"context\":{\"ip\":null,\"userAgent\":\"\"}}", BROWSER)
        .getJsonObject("context")).as("null and blank count as absent")
        .isEqualTo(new JsonObject().put("ip", "203.0.113.9").put("userAgent", CHROME));
  }

  @Test
  void whatTheClientSentAlwaysWins() {
    JsonObject context = enriched("{\"userId\":\"u\",\"context\":{\"ip\":\"0.0.0.0\",\"userAgent\":\"MyApp/1\"}}",
        BROWSER).getJsonObject("context");
    assertThat(context).isEqualTo(new JsonObject().put("ip", "0.0.0.0").put("userAgent", "MyApp/1"));
    assertThat(enriched("{\"userId\":\"u\",\"context\":{\"user_agent\":\"curl/8\"}}", BROWSER)
        .getJsonObject("context").containsKey("userAgent")).as("the snake_case spelling counts").isFalse();
    assertThat(enriched("{\"userId\":\"u\",\"context\":\"oops\"}", BROWSER).getValue("context"))
        .as("a context that is not an object is left alone").isEqualTo("oops");
  }

  @Test
  void nothingFromTheRequestForTheEventBusOrWhenNotABrowser() {
    assertThat(enriched("{\"userId\":\"u\"}", null).containsKey("context")).isFalse();
    assertThat(enriched("{\"userId\":\"u\"}", new RequestOrigin(null, null)).containsKey("context")).isFalse();
    assertThat(enriched("{\"userId\":\"u\"}", new RequestOrigin("198.51.100.1", null)).getJsonObject("context"))
        .isEqualTo(new JsonObject().put("ip", "198.51.100.1"));
  }

  @Test
  void onlyABrowserPagesUserAgentIsTaken() {
    assertThat(RequestOrigin.browserUserAgent(CHROME, "https://shop.example.com")).isEqualTo(CHROME);
    assertThat(RequestOrigin.browserUserAgent(CHROME, "null")).as("an opaque origin is still a page").isEqualTo(CHROME);
    assertThat(RequestOrigin.browserUserAgent(CHROME, null)).as("no Origin: not a page's request").isNull();
    assertThat(RequestOrigin.browserUserAgent("analytics-node-next/1.0", "https://x")).isNull();
    assertThat(RequestOrigin.browserUserAgent("curl/8.4.0", "https://x")).isNull();
    assertThat(RequestOrigin.browserUserAgent(null, "https://x")).isNull();
    assertThat(RequestOrigin.browserUserAgent("Mozilla/5.0 " + "x".repeat(2000), "https://x")).isNull();
  }

  @Test
  void aBatchContextFilledFromTheRequestIsStoredWithTheMessage() {
    String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}],"
        + "\"context\":{\"library\":{\"name\":\"lib\"}}}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    JsonObject message = parsed.root().getJsonArray("batch").getJsonObject(0);
    int changes = MessageEnricher.enrich(message, parsed.root(), RECEIVED, BROWSER);
    assertThat(changes & MessageEnricher.MERGED_DEEP).isZero();
    JsonObject back = readBack(new StoredJson(RECEIVED).of(message, parsed.batchSpans(), 0, changes));
    assertThat(back.getJsonObject("context")).isEqualTo(new JsonObject()
        .put("library", new JsonObject().put("name", "lib")).put("ip", "203.0.113.9").put("userAgent", CHROME));
    assertThat(parsed.root().getJsonObject("context").containsKey("ip")).as("the batch's own is not touched")
        .isFalse();
  }

  @Test
  void intoTheClientsOwnContextTheFieldsAreSplicedWithoutWritingTheMessageAgain() {
    String body = "{\"type\":\"page\",\"userId\":\"u\",\"context\":{\"page\":{\"path\":\"/a\"}},\"x\":1}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    JsonObject message = parsed.root();
    int changes = MessageEnricher.enrich(message, null, RECEIVED, BROWSER);
    assertThat(changes & MessageEnricher.MERGED_DEEP).isZero();
    assertThat(changes & (MessageEnricher.FILLED_IP | MessageEnricher.FILLED_USER_AGENT))
        .isEqualTo(MessageEnricher.FILLED_IP | MessageEnricher.FILLED_USER_AGENT);
    byte[] stored = new StoredJson(RECEIVED).of(message, parsed.rootSpan(), 0, changes);
    assertThat(new String(stored, StandardCharsets.UTF_8)).startsWith(
        "{\"type\":\"page\",\"userId\":\"u\",\"context\":{\"page\":{\"path\":\"/a\"},\"ip\":\"203.0.113.9\",");
    JsonObject back = readBack(stored);
    assertThat(back).isEqualTo(message);
    assertThat(back.getJsonObject("context").getString("ip")).isEqualTo("203.0.113.9");
    assertThat(back.getJsonObject("context").getString("userAgent")).isEqualTo(CHROME);
  }

  @Test
  void splicingFindsTheTopLevelContextWhateverSurroundsIt() {
    JsonObject fields = new JsonObject().put("ip", "198.51.100.1");
    String[] messages = {
        "{\"context\":{}}",
        "{ \"context\" : { \n } }",
        "{\"a\":\"}\\\"context\\\":{\",\"context\":{\"ip\":null},\"b\":[1,{\"context\":{}}]}",
        "{\"properties\":{\"context\":{\"x\":1}},\"context\":{\"library\":{\"name\":\"l\"}},\"n\":-1.5e3}",
        "{\"context\":\"first\",\"context\":{\"k\":true}}",
    };
    for (String message : messages) {
      byte[] body = ("[" + message + "]").getBytes(StandardCharsets.UTF_8);
      byte[] spliced = ContextSplice.add(body, 1, body.length - 2, fields);
      assertThat(spliced).as(message).isNotNull();
      JsonObject expected = new JsonObject(message);
      expected.getJsonObject("context").put("ip", "198.51.100.1");
      assertThat(readBack(spliced)).as(message).isEqualTo(expected);
    }
    for (String message : new String[] {"{\"cont\\u0065xt\":{}}", "{\"context\":{\"a\":1},\"context\":\"x\"}",
        "{\"x\":1}"}) {
      byte[] body = message.getBytes(StandardCharsets.UTF_8);
      assertThat(ContextSplice.add(body, 0, body.length, fields)).as("gives up on %s", message).isNull();
    }
  }

  @Test
  void aKeyWrittenWithEscapesFallsBackToWritingTheMessageAgain() {
    String body = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"cont\\u0065xt\":{\"locale\":\"en\"}}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    JsonObject message = parsed.root();
    int changes = MessageEnricher.enrich(message, null, RECEIVED, BROWSER);
    JsonObject back = readBack(new StoredJson(RECEIVED).of(message, parsed.rootSpan(), 0, changes));
    assertThat(back).isEqualTo(message);
    assertThat(back.getJsonObject("context").getString("ip")).isEqualTo("203.0.113.9");
  }

  @Test
  void aMessageWithoutContextGetsOneAppended() {
    String body = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":1}}";
    SegmentJsonReader.ParsedBody parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
    JsonObject message = parsed.root();
    int changes = MessageEnricher.enrich(message, null, RECEIVED, new RequestOrigin("198.51.100.1", null));
    assertThat(changes & MessageEnricher.ADDED_CONTEXT).isNotZero();
    byte[] stored = new StoredJson(RECEIVED).of(message, parsed.rootSpan(), 0, changes);
    assertThat(new String(stored, StandardCharsets.UTF_8)).startsWith(body.substring(0, body.length() - 1));
    assertThat(readBack(stored).getJsonObject("context")).isEqualTo(new JsonObject().put("ip", "198.51.100.1"));
  }

  private static JsonObject readBack(byte[] stored) {
    return new JsonObject(Buffer.buffer(stored));
  }
}
