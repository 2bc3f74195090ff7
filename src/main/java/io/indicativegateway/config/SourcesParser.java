package io.indicativegateway.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads sources from their two forms: {@code writeKey=apiKey} text, and the YAML file's {@code sources} list. */
public final class SourcesParser {

  private SourcesParser() {}

  /**
   * Entries separated by commas or new lines, each {@code writeKey=indicativeApiKey}; blank lines and lines
   * starting with {@code #} are ignored (the format of {@code GATEWAY_SOURCES} and of a sources file).
   */
  public static List<Source> fromText(String text, String origin, List<String> problems) {
    List<Source> sources = new ArrayList<>();
    int n = 0;
    for (String line : text.split("[,\\n]")) {
      String entry = line.trim();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      n++;
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        problems.add(origin + " entry " + n + " must look like writeKey=indicativeApiKey");
        continue;
      }
      sources.add(new Source("source-" + n, entry.substring(0, eq).trim(), entry.substring(eq + 1).trim(), true));
    }
    check(sources, problems);
    return sources;
  }

  /** The YAML file's list of {name, writeKey, projectKey, enabled}. */
  public static List<Source> fromYaml(Object list, List<String> problems) {
    List<Source> sources = new ArrayList<>();
    if (list == null) {
      return sources;
    }
    if (!(list instanceof JsonArray array)) {
      problems.add("sources must be a list of {name, writeKey, projectKey, enabled}");
      return sources;
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject source)) {
        problems.add("sources[" + i + "] must be a mapping with writeKey and projectKey");
        continue;
      }
      String writeKey = source.getValue("writeKey") == null ? "" : source.getValue("writeKey").toString();
      String projectKey = source.getValue("projectKey") == null ? "" : source.getValue("projectKey").toString();
      if (writeKey.isBlank() || projectKey.isBlank()) {
        problems.add("sources[" + i + "] needs a non-empty writeKey and projectKey");
        continue;
      }
      Object enabled = source.getValue("enabled");
      sources.add(new Source(String.valueOf(source.getValue("name", "source-" + (i + 1))), writeKey, projectKey,
          !(Boolean.FALSE.equals(enabled) || "false".equals(enabled))));
    }
    check(sources, problems);
    return sources;
  }

  private static void check(List<Source> sources, List<String> problems) {
    Set<String> seen = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Source source : sources) {
      if (!names.add(source.name())) {
        // the name keys the source's rate-limit bucket, metrics and dead letters: two sources must not share one
        problems.add("source name " + source.name() + " is used by more than one source");
      }
      if (source.writeKey().contains(":")) {
        problems.add("write key of " + source.name() + " contains ':', which HTTP Basic auth cannot carry");
      }
      if (!seen.add(source.writeKey())) {
        problems.add("write key of " + source.name() + " is configured twice");
      }
    }
  }
}
