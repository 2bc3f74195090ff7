package io.indicativegateway.config;

import java.nio.file.Path;

/**
 * Where the sources were read from, which decides whether they can change without a restart: the environment
 * cannot, a sources file or the config file can (they are watched).
 *
 * @param file the sources file, for {@link Kind#FILE}
 */
public record SourcesOrigin(Kind kind, Path file) {

  public enum Kind { ENVIRONMENT, FILE, CONFIG_FILE }

  static SourcesOrigin environment() {
    return new SourcesOrigin(Kind.ENVIRONMENT, null);
  }

  static SourcesOrigin file(Path file) {
    return new SourcesOrigin(Kind.FILE, file);
  }

  static SourcesOrigin configFile() {
    return new SourcesOrigin(Kind.CONFIG_FILE, null);
  }
}
