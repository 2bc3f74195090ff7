package io.indicativegateway.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of an {@link IndicativeSimulator}. Mutable while being built; the simulator takes a copy at start.
 *
 * <p>Defaults: host {@code 127.0.0.1}, port {@code 0} (ephemeral), any api key accepted, 1,000,000 recorded items,
 * bodies up to 1,000,000 bytes, batches of 1..100 events, property strings up to 255 UTF-16 units, one HTTP server
 * instance per available processor (at most 4).
 */
public final class SimulatorOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 0;
  public static final int DEFAULT_MAX_RECORDED = 1_000_000;
  public static final int DEFAULT_MAX_BODY_BYTES = 1_000_000;
  public static final int DEFAULT_MAX_EVENTS_PER_BATCH = 100;
  public static final int DEFAULT_MAX_STRING_LENGTH = 255;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private Set<String> validApiKeys = Set.of();
  private int maxRecorded = DEFAULT_MAX_RECORDED;
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxEventsPerBatch = DEFAULT_MAX_EVENTS_PER_BATCH;
  private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
  private int instances = defaultInstances();

  public SimulatorOptions() {
  }

  public SimulatorOptions(SimulatorOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.validApiKeys = other.validApiKeys;
    this.maxRecorded = other.maxRecorded;
    this.maxBodyBytes = other.maxBodyBytes;
    this.maxEventsPerBatch = other.maxEventsPerBatch;
    this.maxStringLength = other.maxStringLength;
    this.instances = other.instances;
  }

  /**
   * Reads the fields of {@link #toJson()}; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException when a value is out of range or of the wrong type
   */
  public SimulatorOptions(JsonObject json) {
    try {
      if (json.containsKey("host")) setHost(json.getString("host"));
      if (json.containsKey("port")) setPort(json.getInteger("port"));
      if (json.containsKey("validApiKeys")) {
        JsonArray keys = json.getJsonArray("validApiKeys");
        setValidApiKeys(keys == null ? Set.of() : keys.stream().map(String.class::cast).toList());
      }
      if (json.containsKey("maxRecorded")) setMaxRecorded(json.getInteger("maxRecorded"));
      if (json.containsKey("maxBodyBytes")) setMaxBodyBytes(json.getInteger("maxBodyBytes"));
      if (json.containsKey("maxEventsPerBatch")) setMaxEventsPerBatch(json.getInteger("maxEventsPerBatch"));
      if (json.containsKey("maxStringLength")) setMaxStringLength(json.getInteger("maxStringLength"));
      if (json.containsKey("instances")) setInstances(json.getInteger("instances"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("invalid simulator options " + json.encode() + ": " + e.getMessage(), e);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("validApiKeys", new JsonArray(validApiKeys.stream().sorted().toList()))
        .put("maxRecorded", maxRecorded)
        .put("maxBodyBytes", maxBodyBytes)
        .put("maxEventsPerBatch", maxEventsPerBatch)
        .put("maxStringLength", maxStringLength)
        .put("instances", instances);
  }

  public String getHost() {
    return host;
  }

  public SimulatorOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** Port to listen on; {@code 0} picks a free ephemeral port. */
  public SimulatorOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public Set<String> getValidApiKeys() {
    return validApiKeys;
  }

  /** When not empty, requests whose {@code apiKey} is not in this set are answered 401. Empty: any key is valid. */
  public SimulatorOptions setValidApiKeys(Collection<String> validApiKeys) {
    Objects.requireNonNull(validApiKeys, "validApiKeys");
    for (String key : validApiKeys) {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("api keys must be non-empty strings");
      }
    }
    this.validApiKeys = Set.copyOf(validApiKeys);
    return this;
  }

  public int getMaxRecorded() {
    return maxRecorded;
  }

  /**
   * How many accepted items (events, identifies and aliases together) and, separately, how many request records are
   * kept in memory. Past it everything is still counted, but no longer stored.
   */
  public SimulatorOptions setMaxRecorded(int maxRecorded) {
    if (maxRecorded < 0) {
      throw new IllegalArgumentException("maxRecorded must be >= 0, got " + maxRecorded);
    }
    this.maxRecorded = maxRecorded;
    return this;
  }

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }

  /** Largest accepted request body; larger bodies are answered 413. */
  public SimulatorOptions setMaxBodyBytes(int maxBodyBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 1, got " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public int getMaxEventsPerBatch() {
    return maxEventsPerBatch;
  }

  public SimulatorOptions setMaxEventsPerBatch(int maxEventsPerBatch) {
    if (maxEventsPerBatch < 1) {
      throw new IllegalArgumentException("maxEventsPerBatch must be >= 1, got " + maxEventsPerBatch);
    }
    this.maxEventsPerBatch = maxEventsPerBatch;
    return this;
  }

  public int getMaxStringLength() {
    return maxStringLength;
  }

  /** Longest accepted string property value, in UTF-16 code units. */
  public SimulatorOptions setMaxStringLength(int maxStringLength) {
    if (maxStringLength < 0) {
      throw new IllegalArgumentException("maxStringLength must be >= 0, got " + maxStringLength);
    }
    this.maxStringLength = maxStringLength;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  /** Number of HTTP server instances (each on its own event loop) sharing the listening socket. */
  public SimulatorOptions setInstances(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be >= 1, got " + instances);
    }
    this.instances = instances;
    return this;
  }

  private static int defaultInstances() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /** Like {@link #toJson()}, with only the number of api keys, not the keys. */
  @Override
  public String toString() {
    return toJson().put("validApiKeys", validApiKeys.size()).encode();
  }
}
