package io.indicativegateway.config;

import io.vertx.config.ConfigChange;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the sources (write key -> project key) without a restart: watches the sources file or the config
 * file with vertx-config and swaps the {@link SourceRegistry} when the sources in it change. A file that does not
 * parse, or that has problems, leaves the running sources as they are and says why in the log. Sources from
 * {@code GATEWAY_SOURCES} cannot change while the process runs and are not watched.
 */
public final class SourcesReloader {

  private static final Logger log = LoggerFactory.getLogger(SourcesReloader.class);
  private static final String RAW_KEY = "sourcesText";

  private final ConfigRetriever retriever;
  private final SourceRegistry registry;
  private final SourcesOrigin origin;

  private SourcesReloader(ConfigRetriever retriever, SourceRegistry registry, SourcesOrigin origin) {
    this.retriever = retriever;
    this.registry = registry;
    this.origin = origin;
  }

  /** Starts watching, or returns null when the sources cannot change (environment, or local mode). */
  public static SourcesReloader watch(Vertx vertx, GatewayConfig config, SourceRegistry registry) {
    if (config.devMode() || config.sourcesOrigin().kind() == SourcesOrigin.Kind.ENVIRONMENT) {
      return null;
    }
    ConfigStoreOptions store;
    if (config.sourcesOrigin().kind() == SourcesOrigin.Kind.FILE) {
      store = new ConfigStoreOptions().setType("file").setFormat("raw")
          .setConfig(new JsonObject().put("path", config.sourcesOrigin().file().toString()).put("raw.key", RAW_KEY));
    } else if (config.configFile() != null) {
      store = new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", config.configFile().toString()));
    } else {
      return null;
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(config.scanPeriodMs())
        .setStores(List.of(store.setOptional(false))));
    SourcesReloader reloader = new SourcesReloader(retriever, registry, config.sourcesOrigin());
    retriever.listen(reloader::changed);
    log.info("watching {} for source changes every {} ms", store.getConfig().getString("path"),
        config.scanPeriodMs());
    return reloader;
  }

  private void changed(ConfigChange change) {
    JsonObject content = change.getNewConfiguration();
    List<String> problems = new ArrayList<>();
    List<Source> sources = origin.kind() == SourcesOrigin.Kind.FILE
        ? SourcesParser.fromText(content.getString(RAW_KEY, ""), "sources file", problems)
        : SourcesParser.fromYaml(content.getValue("sources"), problems);
    if (!problems.isEmpty()) {
      log.error("sources not reloaded, the running ones stay: {}", String.join("; ", problems));
      return;
    }
    if (sources.isEmpty()) {
      log.error("sources not reloaded: the new list is empty (the running ones stay)");
      return;
    }
    if (!java.util.Set.copyOf(sources).equals(java.util.Set.copyOf(registry.all()))) {
      registry.replace(sources);
      log.info("sources reloaded: {}", sources);
    }
  }

  public Future<Void> close() {
    return retriever.close();
  }
}
