package io.indicativegateway.translate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A table of test cases under {@code src/test/resources/translate/}: {@code {"defaults": {...}, "cases": [...]}}.
 * Each case's {@code input} is laid over the file's {@code defaults} (top-level fields, the case winning).
 *
 * <p>Long strings are written {@code {{text*count}}}: {@code "{{a*253}}😀"} is 253 {@code a} and an emoji. The
 * expansion applies to every string and key of the file.
 */
record CaseFile(String fileName, List<JsonObject> cases) {

  private static final Pattern REPEAT = Pattern.compile("\\{\\{(.+?)\\*(\\d+)}}");

  static CaseFile load(String fileName) {
    try (InputStream in = CaseFile.class.getResourceAsStream("/translate/" + fileName)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource translate/" + fileName);
      }
      JsonObject file = (JsonObject) expand(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      JsonObject defaults = file.getJsonObject("defaults", new JsonObject());
      List<JsonObject> cases = new ArrayList<>();
      for (Object raw : file.getJsonArray("cases")) {
        JsonObject testCase = (JsonObject) raw;
        JsonObject input = defaults.copy();
        testCase.getJsonObject("input").forEach(e -> input.put(e.getKey(), e.getValue()));
        cases.add(testCase.copy().put("input", input));
      }
      return new CaseFile(fileName, cases);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names of all case files, except those listed. */
  static List<String> allFileNames(String... except) {
    URL dir = CaseFile.class.getResource("/translate");
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      List<String> skip = List.of(except);
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !skip.contains(n))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Object expand(Object value) {
    if (value instanceof String text) {
      return expandText(text);
    }
    if (value instanceof JsonObject object) {
      Map<String, Object> expanded = new LinkedHashMap<>();
      object.forEach(e -> expanded.put(expandText(e.getKey()), expand(e.getValue())));
      return new JsonObject(expanded);
    }
    if (value instanceof JsonArray array) {
      JsonArray expanded = new JsonArray();
      array.forEach(element -> expanded.add(expand(element)));
      return expanded;
    }
    return value;
  }

  private static String expandText(String text) {
    Matcher m = REPEAT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
