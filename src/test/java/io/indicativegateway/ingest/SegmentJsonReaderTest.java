package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentJsonReaderTest {

  private final SegmentJsonReader reader = new SegmentJsonReader(100);

  private SegmentJsonReader.ParsedBody read(String json) {
    return reader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void measuresEachBatchElementInBytesAsSent() {
    String first = "{\"type\":\"track\",\"event\":\"é\"}"; // é is two bytes
    String second = "{ \"type\" : \"page\" }";
    SegmentJsonReader.ParsedBody body = read("{\"writeKey\":\"k\",\"batch\":[" + first + ",  " + second + "]}");
    RawSpans spans = body.batchSpans();
    assertThat(spans.lengths()).containsExactly(
        first.getBytes(StandardCharsets.UTF_8).length, second.getBytes(StandardCharsets.UTF_8).length);
    assertThat(new String(spans.body(), spans.starts()[1], spans.lengths()[1], StandardCharsets.UTF_8))
        .isEqualTo(second);
    assertThat(body.rootSpan().starts()).containsExactly(0);
    assertThat(body.root().getJsonArray("batch")).hasSize(2);
    assertThat(body.root().getString("writeKey")).isEqualTo("k");
  }

  @Test
  void keepsNumbersExact() {
    JsonObject root = read("{\"a\":12345678901234567,\"b\":123456789012345678901234567890,\"c\":1.5,\"d\":7,"
        + "\"e\":1.2345678901234567891}").root();
    assertThat(root.getValue("a")).isEqualTo(12345678901234567L);
    assertThat(root.getValue("b")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(root.getValue("c")).isEqualTo(new java.math.BigDecimal("1.5"));
    assertThat(root.getValue("e")).isEqualTo(new java.math.BigDecimal("1.2345678901234567891"));
    assertThat(root.getValue("d")).isEqualTo(7);
    assertThat(read("{\"x\":1e400}").root().toBuffer().toString()).isEqualTo("{\"x\":1E+400}");
  }

  @Test
  void invalidUtf8BecomesReplacementCharactersInsteadOfFailing() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"event\":\"ok".getBytes(StandardCharsets.UTF_8));
    body.write(0xC3); // truncated two-byte sequence
    body.write(0xFF); // never valid
    body.writeBytes("!\",\"n\":1}".getBytes(StandardCharsets.UTF_8));
    JsonObject root = reader.read(body.toByteArray()).root();
    assertThat(root.getString("event")).isEqualTo("ok\uFFFD\uFFFD!");
    assertThat(root.getInteger("n")).isEqualTo(1);
  }

  @Test
  void loneSurrogateEscapesBecomeReplacementCharactersSoTheMessageCanBeStored() {
    JsonObject root = read("{\"a\":\"x\\ud800y\",\"b\":\"\\ud83d\\ude00\",\"\\udc00k\":1}").root();
    assertThat(root.getString("a")).isEqualTo("x\uFFFDy");
    assertThat(root.getString("b")).isEqualTo("😀");
    assertThat(root.containsKey("\uFFFDk")).isTrue();
    // encodes again without error, and reads back the same
    assertThat(new JsonObject(root.toBuffer()).getString("b")).isEqualTo("😀");
  }

  @Test
  void refusesWhatIsNotOneJsonObject() {
    for (String bad : new String[] {"[1,2]", "\"text\"", "{\"a\":", "{\"a\":1} {}", "{\"a\":tru}", "", "nul"}) {
      assertThatThrownBy(() -> read(bad))
          .as(bad)
          .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
  }

  @Test
  void boundsNestingDepth() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> read(deep))
        .isInstanceOfSatisfying(IngestException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).contains("deeper than 100");
        });
    String fine = "{\"a\":" + "{\"b\":".repeat(50) + "1" + "}".repeat(50) + "}";
    assertThat(read(fine).root().getJsonObject("a")).isNotNull();
  }

  @Test
  void aBatchThatIsNotAnArrayIsKeptAsIsForValidationToReport() {
    assertThat(read("{\"batch\":{}}").root().getValue("batch")).isInstanceOf(JsonObject.class);
    assertThat(read("{\"batch\":[]}").root().getValue("batch")).isEqualTo(new JsonArray());
  }
}
