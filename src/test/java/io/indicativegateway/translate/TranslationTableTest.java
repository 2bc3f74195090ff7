package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the case tables in {@code src/test/resources/translate/}: each case's {@code input} message must translate
 * to exactly its {@code expected} items, in order. A case may override settings with a {@code settings} object.
 */
class TranslationTableTest {

  @TestFactory
  Stream<DynamicNode> cases() {
    return CaseFile.allFileNames(EventTimeTableTest.FILE).stream()
        .map(CaseFile::load)
        .map(file -> DynamicContainer.dynamicContainer(file.fileName(),
            file.cases().stream().map(c -> DynamicTest.dynamicTest(c.getString("name"),
                () -> check(file.fileName() + ": " + c.getString("name"), c)))));
  }

  @TestFactory
  Stream<DynamicNode> everyTableHasCases() {
    return CaseFile.allFileNames().stream().map(name -> DynamicTest.dynamicTest(name,
        () -> assertThat(CaseFile.load(name).cases()).isNotEmpty()));
  }

  private static void check(String caseName, JsonObject testCase) {
    TranslationSettings settings = Translators.settings(testCase.getJsonObject("settings"));
    JsonObject input = testCase.getJsonObject("input");
    List<IndicativeItem> items = Translators.with(settings).translate(input);

    JsonArray actual = new JsonArray();
    items.forEach(item -> actual.add(new JsonObject().put("kind", item.kind().name()).put("body", item.body())));
    assertThat(CanonicalJson.of(actual)).as(caseName).isEqualTo(CanonicalJson.of(testCase.getJsonArray("expected")));

    String type = input.getValue("type") instanceof String t ? t.toLowerCase(java.util.Locale.ROOT) : "";
    if (!items.isEmpty()) {
      ItemInvariants.assertValid(type, items, settings.maxStringLength());
    }
  }
}
