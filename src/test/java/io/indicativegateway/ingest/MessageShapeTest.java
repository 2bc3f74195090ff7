package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.config.LimitSettings;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shape limits: the parser's counts (HTTP single call and batch element) and the tree walk (event bus) reach the
 * same verdict.
 */
class MessageShapeTest {

  private static final LimitSettings LIMITS = new LimitSettings(32768, 512000, 2500, 100, 10, 11, 20, 0, 0);

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"userId\":\"u\",\"event\":\"e\"}",
      "{\"userId\":\"u\",\"properties\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8}}",
      "{\"userId\":\"u\",\"properties\":{\"list\":[1,2,3,4,5,6,7,8]}}",
      "{\"userId\":\"u\",\"properties\":{\"longer-key\":1}}",
      "{\"userId\":\"u\",\"properties\":{\"much-longer-key\":1}}",
      "{\"userId\":\"u\",\"properties\":{\"k\":\"a string over twenty\"}}",
      "{\"userId\":\"u\",\"properties\":{\"k\":\"exactly twenty chars\"}}",
      "{\"userId\":\"u\",\"p\":{\"q\":{\"r\":[{\"s\":[]}]}}}",
      "{\"userId\":\"u\",\"a-much-longer-key\":1}",
      "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":0,\"k\":1}",
      "{\"userId\":\"u\",\"batch\":[1,2,3,4,5,6,7,8,9]}"})
  void parseCountsAndTreeWalkAgree(String message) {
    SegmentJsonReader.ParsedBody parsed = new SegmentJsonReader(100)
        .read(("{\"batch\":[" + message + "]}").getBytes(StandardCharsets.UTF_8));
    String fromCounts = MessageShape.check(parsed.batchSpans().shapes()[0], LIMITS);
    String fromRootCounts = MessageShape.check(new SegmentJsonReader(100)
        .read(message.getBytes(StandardCharsets.UTF_8)).rootSpan().shapes()[0], LIMITS);
    String fromWalk = MessageShape.check(new JsonObject(message), LIMITS);
    assertThat(fromCounts).isEqualTo(fromWalk);
    assertThat(fromRootCounts).as("as a single call").isEqualTo(fromWalk);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"userId\":\"u\",\"properties\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9}}",
      "{\"userId\":\"u\",\"properties\":{\"a-much-longer-key\":1}}", "{\"userId\":\"u\",\"x\":\"123456789012345678901\"}"})
  void overALimitIsReported(String message) {
    assertThat(MessageShape.check(new JsonObject(message), LIMITS)).isNotNull();
  }
}
