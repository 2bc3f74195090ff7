package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageValidatorTest {

  private static String validate(String json, String pathType) {
    return MessageValidator.validate(new JsonObject(json), pathType);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "{\"userId\":\"u\",\"event\":\"e\"}                     | track    | ",
      "{\"anonymousId\":\"a\",\"event\":\"e\"}                | track    | ",
      "{\"userId\":42,\"event\":\"e\"}                        | track    | ",
      "{\"event\":\"e\"}                                      | track    | userId or anonymousId is required",
      "{\"userId\":\"\",\"anonymousId\":\"\",\"event\":\"e\"}  | track    | userId or anonymousId is required",
      "{\"userId\":1e1000000000,\"event\":\"e\"}             | track    | userId is a number too large to be an id",
      "{\"userId\":\"   \",\"event\":\"e\"}                  | track    | userId or anonymousId is required",
      "{\"userId\":\"u\",\"event\":\"   \"}                  | track    | event must not be empty",
      "{\"userId\":\"u\",\"event\":1e1000000000}             | track    | event is a number too large to be a name",
      "{\"userId\":\"u\"}                                     | group    | groupId is required for group calls",
      "{\"userId\":\"u\",\"groupId\":{}}                    | group    | groupId must be a string or a number",
      "{\"userId\":\"u\",\"messageId\":1e1000000000}         | page     | messageId is a number too large to be an id",
      "{\"userId\":{\"id\":1},\"event\":\"e\"}                | track    | userId must be a string or a number",
      "{\"userId\":\"u\",\"anonymousId\":[1]}                 | page     | anonymousId must be a string or a number",
      "{\"userId\":\"u\"}                                     | track    | event is required for track calls",
      "{\"userId\":\"u\",\"event\":\"\"}                      | track    | event must not be empty",
      "{\"userId\":\"u\",\"event\":{\"a\":1}}                 | track    | event must be a string",
      "{\"userId\":\"u\"}                                     | identify | ",
      "{\"userId\":\"u\",\"traits\":\"x\"}                    | identify | traits must be a JSON object",
      "{\"userId\":\"u\",\"context\":5}                       | page     | context must be a JSON object",
      "{\"userId\":\"u\",\"properties\":[]}                   | screen   | properties must be a JSON object",
      "{\"userId\":\"u\",\"groupId\":\"g\"}                   | group    | ",
      "{\"userId\":\"u\",\"previousId\":\"p\"}                | alias    | ",
      "{\"anonymousId\":\"a\",\"previousId\":7}               | alias    | ",
      "{\"userId\":\"u\"}                                     | alias    | previousId is required for alias calls",
      "{\"userId\":\"u\",\"previousId\":\"u\"}                | alias    | previousId must differ from userId (both are 'u')",
      "{\"userId\":\"u\",\"messageId\":{}}                    | page     | messageId must be a string",
  })
  void checksEachCallTypesRequiredFields(String json, String type, String expectedError) {
    assertThat(validate(json, type)).isEqualTo(expectedError);
  }

  @Test
  void batchElementsMustDeclareOneOfTheSixTypes() {
    assertThat(validate("{\"userId\":\"u\",\"event\":\"e\"}", null)).startsWith("type is required");
    assertThat(validate("{\"type\":\"purchase\",\"userId\":\"u\"}", null)).startsWith("type must be one of");
    assertThat(validate("{\"type\":\"Track\",\"userId\":\"u\",\"event\":\"e\"}", null)).isNull();
  }

  @Test
  void theEndpointSetsTheTypeAndScalarsAreNormalized() {
    JsonObject message = new JsonObject("{\"type\":\"page\",\"userId\":\"u\",\"event\":123,\"messageId\":987}");
    assertThat(MessageValidator.validate(message, "track")).isNull();
    assertThat(message.getString("type")).isEqualTo("track");
    assertThat(message.getValue("event")).isEqualTo("123");
    assertThat(message.getValue("messageId")).isEqualTo("987");

    JsonObject upper = new JsonObject("{\"type\":\"IDENTIFY\",\"userId\":\"u\",\"event\":true}");
    assertThat(MessageValidator.validate(upper, null)).isNull();
    assertThat(upper.getString("type")).isEqualTo("identify");
  }

  @Test
  void messageIdsAreBounded() {
    JsonObject tooLong = new JsonObject().put("userId", "u").put("messageId", "m".repeat(101));
    assertThat(MessageValidator.validate(tooLong, "page")).isEqualTo("messageId must be at most 100 characters");
    JsonObject empty = new JsonObject().put("userId", "u").put("messageId", "");
    assertThat(MessageValidator.validate(empty, "page")).isNull();
    assertThat(empty.containsKey("messageId")).isFalse(); // a new one will be generated
  }

  @Test
  void idsLongerThanIndicativesLimitAreRefusedNotCut() {
    JsonObject longId = new JsonObject().put("userId", "a".repeat(256)).put("event", "e");
    assertThat(MessageValidator.validate(longId, "track")).isEqualTo("userId must be at most 255 characters");
    JsonObject longPrevious = new JsonObject().put("userId", "u").put("previousId", "p".repeat(300));
    assertThat(MessageValidator.validate(longPrevious, "alias")).isEqualTo("previousId must be at most 255 characters");
    assertThat(MessageValidator.validate(new JsonObject().put("userId", "a".repeat(255)), "page")).isNull();
    JsonObject emojiIds = new JsonObject().put("userId", "u").put("messageId", "😀".repeat(100));
    assertThat(MessageValidator.validate(emojiIds, "page")).isNull(); // 100 characters, 200 UTF-16 units
  }

  @Test
  void idTextKeepsEveryDigit() {
    assertThat(MessageValidator.idText(12345678901234567L)).isEqualTo("12345678901234567");
    assertThat(MessageValidator.idText(42.0)).isEqualTo("42");
    assertThat(MessageValidator.idText(1.5)).isEqualTo("1.5");
    assertThat(MessageValidator.idText(new java.math.BigDecimal("1.2345678901234567891")))
        .isEqualTo("1.2345678901234567891");
    assertThat(MessageValidator.idText("")).isNull();
    assertThat(MessageValidator.idText(new java.math.BigDecimal("1E+1000000000"))).isNull();
  }
}
