package io.indicativegateway.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values from the configuration file's JSON tree, letting an environment variable override each one,
 * and collects every problem instead of stopping at the first so start-up can report them all at once.
 */
final class ConfigReader {

  private final JsonObject file;
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  ConfigReader(JsonObject file, Map<String, String> env) {
    this.file = file == null ? new JsonObject() : file;
    this.env = env;
  }

  List<String> problems() {
    return problems;
  }

  /** The list problems are collected in, for parsers that add to it. */
  List<String> problemList() {
    return problems;
  }

  void problem(String text) {
    problems.add(text);
  }

  boolean envSetButBlank(String envName) {
    String value = env.get(envName);
    return value != null && value.isBlank();
  }

  String envValue(String envName) {
    String value = env.get(envName);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The raw value at a dotted path in the file, or null. */
  Object fileValue(String path) {
    Object node = file;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject object)) {
        return null;
      }
      node = object.getValue(part);
    }
    return node;
  }

  String string(String path, String envName, String defaultValue) {
    String fromEnv = envName == null ? null : envValue(envName);
    if (fromEnv != null) {
      return fromEnv;
    }
    Object value = fileValue(path);
    if (value == null || value instanceof String text && text.isBlank()) {
      return defaultValue; // "" in the file means "not set", as a blank environment variable does
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    problem(path + " must be a string, got " + value);
    return defaultValue;
  }

  long number(String path, String envName, long defaultValue, long min, long max) {
    String where = envName != null && envValue(envName) != null ? envName : path;
    String text = string(path, envName, null);
    if (text == null) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      problem(where + " must be a whole number, got '" + text + "'");
      return defaultValue;
    }
    if (value < min || value > max) {
      problem(where + " must be between " + min + " and " + max + ", got " + value);
      return defaultValue;
    }
    return value;
  }

  int integer(String path, String envName, int defaultValue, int min, int max) {
    return (int) number(path, envName, defaultValue, min, max);
  }

  boolean bool(String path, String envName, boolean defaultValue) {
    String text = string(path, envName, null);
    if (text == null) {
      return defaultValue;
    }
    return switch (text.toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> {
        problem(path + " must be true or false, got '" + text + "'");
        yield defaultValue;
      }
    };
  }
}
