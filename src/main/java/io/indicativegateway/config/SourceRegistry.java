package io.indicativegateway.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the source for a write key.
 *
 * <p>Keys are looked up by their SHA-256 digest, never compared character by character, so the time a lookup
 * takes tells a caller nothing about how much of a guessed key was right. The table can be replaced as a whole
 * (hot reload) while lookups run on other threads.
 */
public final class SourceRegistry {

  private volatile Map<String, Source> byDigest;

  public SourceRegistry(List<Source> sources) {
    replace(sources);
  }

  public void replace(List<Source> sources) {
    Map<String, Source> table = new HashMap<>();
    for (Source source : sources) {
      table.put(digest(source.writeKey()), source);
    }
    byDigest = Map.copyOf(table);
  }

  /** The source for this write key, if it is known (enabled or not). */
  public Optional<Source> find(String writeKey) {
    if (writeKey == null || writeKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byDigest.get(digest(writeKey)));
  }

  public List<Source> all() {
    return List.copyOf(byDigest.values());
  }

  /** The Indicative projects the enabled sources send to now. */
  public Set<String> enabledProjectKeys() {
    return byDigest.values().stream().filter(Source::enabled).map(Source::projectKey)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String digest(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
