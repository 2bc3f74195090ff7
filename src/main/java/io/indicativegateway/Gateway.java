package io.indicativegateway;

import io.indicativegateway.bus.LocalCodec;
import io.indicativegateway.config.GatewayConfig;
import io.indicativegateway.config.SourceRegistry;
import io.indicativegateway.config.SourcesReloader;
import io.indicativegateway.config.TranslationConfig;
import io.indicativegateway.deliver.DeliveryVerticle;
import io.indicativegateway.ingest.EventBusIngestVerticle;
import io.indicativegateway.ingest.IngestHttpVerticle;
import io.indicativegateway.ingest.IngestService;
import io.indicativegateway.ingest.SegmentJsonReader;
import io.indicativegateway.ingest.TcpBridgeVerticle;
import io.indicativegateway.ingest.WriteKeyAuthenticator;
import io.indicativegateway.ops.AdminVerticle;
import io.indicativegateway.ops.DeadLetterService;
import io.indicativegateway.ops.GatewayHealth;
import io.indicativegateway.ops.GatewayMetrics;
import io.indicativegateway.ops.Readiness;
import io.indicativegateway.store.EventStore;
import io.indicativegateway.translate.SegmentTranslator;
import io.indicativegateway.translate.TranslationRequest;
import io.indicativegateway.translate.TranslationResult;
import io.indicativegateway.translate.TranslationSettings;
import io.indicativegateway.translate.TranslatorVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the store plus the translation, delivery and ingestion verticles, started in the order
 * that lets each find what it needs and stopped in the reverse order, so nothing accepted is left unstored.
 * Used by the main class and, in-process, by the tests.
 */
public final class Gateway {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final long DEDUP_EXPIRY_PERIOD_MS = 60_000;
  private static final int DEDUP_EXPIRY_BATCH = 200_000;
  private static final long OLDEST_REFRESH_MS = 5_000;

  private final Vertx vertx;
  private final GatewayConfig config;
  private final EventStore store;
  private final GatewayMetrics metrics;
  private final SourceRegistry sources;
  private final Readiness readiness = new Readiness();
  private final List<String> ingestDeployments = new ArrayList<>();
  private final List<String> backDeployments = new ArrayList<>();
  private long expiryTimer = -1;
  private long oldestTimer = -1;
  private final java.util.concurrent.atomic.AtomicInteger openConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong oldestUndelivered = new java.util.concurrent.atomic.AtomicLong();
  private volatile DeliveryVerticle delivery;
  private AdminVerticle admin;
  private SourcesReloader reloader;

  private Gateway(Vertx vertx, GatewayConfig config, EventStore store, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.metrics = new GatewayMetrics(registry);
    this.sources = new SourceRegistry(config.sources());
  }

  /** Opens the store and deploys everything; fails (with the store closed again) if any part cannot start. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
    // Opening RocksDB and compiling the user-agent parser's hundreds of regexes both block: not on an event loop.
    return vertx.executeBlocking(() -> EventStore.open(config.store()))
        .compose(store -> vertx.executeBlocking(() -> new SegmentTranslator(translationSettings(
                config.translation())))
            .recover(failure -> {
              store.close();
              return Future.failedFuture(failure);
            })
            .compose(translator -> {
              Gateway gateway = new Gateway(vertx, config, store, registry);
              return gateway.deploy(translator)
                  .map(gateway)
                  .recover(failure -> gateway.stop().transform(v -> Future.failedFuture(failure)));
            }));
  }

  private Future<Void> deploy(SegmentTranslator translator) {
    LocalCodec.register(vertx, TranslationRequest.class);
    LocalCodec.register(vertx, TranslationResult.class);
    IngestService ingest = new IngestService(config.ingest().limits(), store, metrics);
    WriteKeyAuthenticator authenticator = new WriteKeyAuthenticator(sources);
    SegmentJsonReader reader = new SegmentJsonReader(config.ingest().limits().maxJsonDepth());
    long requestGrace = config.delivery().shutdownGraceMs() / 4; // requests in flight finish in milliseconds
    Handler<RoutingContext> scraping = metrics.registry() instanceof PrometheusMeterRegistry prometheus
        ? PrometheusScrapingHandler.create(prometheus) : null;
    HealthChecks readinessChecks = GatewayHealth.readiness(vertx, readiness, store,
        () -> delivery == null ? List.of() : delivery.projectStatuses(sources.enabledProjectKeys()));

    return vertx.deployVerticle(() -> new TranslatorVerticle(translator, store), new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setInstances(config.translation().instances()))
        .onSuccess(backDeployments::add)
        .compose(id -> {
          delivery = new DeliveryVerticle(config.delivery(), store, metrics);
          return vertx.deployVerticle(delivery);
        })
        .onSuccess(backDeployments::add)
        .compose(id -> vertx.deployVerticle(new EventBusIngestVerticle(ingest, authenticator,
            config.ingest().eventBusAddress())))
        .onSuccess(ingestDeployments::add)
        .compose(id -> vertx.deployVerticle(() -> new IngestHttpVerticle(config.ingest().http(), openConnections, ingest, authenticator, reader,
            GatewayHealth.liveness(vertx), readinessChecks, scraping, requestGrace),
            new DeploymentOptions().setInstances(config.ingest().http().instances())))
        .onSuccess(ingestDeployments::add)
        .compose(id -> config.cluster().bridgeEnabled()
            ? vertx.deployVerticle(new TcpBridgeVerticle(config.ingest().eventBusAddress(),
                config.cluster().bridgeHost(), config.cluster().bridgePort(),
                config.ingest().eventBusReplyTimeoutMs())).onSuccess(ingestDeployments::add)
            : Future.succeededFuture(id))
        .compose(id -> config.admin().enabled()
            ? vertx.deployVerticle(admin = new AdminVerticle(config.admin(), new DeadLetterService(store)))
                .onSuccess(ingestDeployments::add)
            : Future.succeededFuture(id))
        .onSuccess(id -> {
          reloader = SourcesReloader.watch(vertx, config, sources);
          expiryTimer = vertx.setPeriodic(DEDUP_EXPIRY_PERIOD_MS, t -> expireDedup());
          metrics.storeGauges(store, oldestUndelivered);
          oldestTimer = vertx.setPeriodic(OLDEST_REFRESH_MS, t -> vertx.executeBlocking(
              store::oldestUndeliveredMillis, false).onSuccess(oldestUndelivered::set));
          readiness.markStarted();
          log.info("gateway listening on {}:{} ({} sources, event bus address {})", config.ingest().http().host(),
              config.ingest().http().port(), config.sources().size(), config.ingest().eventBusAddress());
        })
        .mapEmpty();
  }

  private void expireDedup() {
    vertx.executeBlocking(() -> store.expireDedup(System.currentTimeMillis(), DEDUP_EXPIRY_BATCH), false)
        .onFailure(e -> log.warn("dedup expiry failed: {}", e.getMessage()));
  }

  /**
   * Graceful stop: readiness goes down, ingestion finishes what is in flight and refuses the rest, delivery
   * flushes within the grace period, then the store is closed. Everything not delivered stays stored.
   */
  public Future<Void> stop() {
    readiness.markStopping();
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      vertx.cancelTimer(oldestTimer);
    }
    if (reloader != null) {
      reloader.close();
    }
    // one budget for the whole stop: requests in flight, then delivery, within the grace period
    if (delivery != null) {
      delivery.stopBy(System.currentTimeMillis() + config.delivery().shutdownGraceMs());
    }
    return undeploy(ingestDeployments)
        .compose(v -> undeploy(backDeployments))
        .eventually(() -> vertx.executeBlocking(() -> {
          store.close();
          return null;
        }))
        .mapEmpty();
  }

  /** Undeploys in reverse deployment order, one after the other; a failure is logged and the rest go on. */
  private Future<Void> undeploy(List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> {
        log.warn("undeploy failed: {}", e.getMessage());
        return Future.succeededFuture();
      }));
    }
    ids.clear();
    return chain;
  }

  public EventStore store() {
    return store;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The admin API's actual port; only when a token is configured. */
  public int adminPort() {
    return admin.port();
  }

  public DeliveryVerticle delivery() {
    return delivery;
  }

  public Readiness readiness() {
    return readiness;
  }

  public GatewayConfig config() {
    return config;
  }

  static TranslationSettings translationSettings(TranslationConfig c) {
    return new TranslationSettings(c.maxStringLength(), c.trackNameTemplate(), c.pageNameTemplate(),
        c.pageUnnamed(), c.screenNameTemplate(), c.screenUnnamed(), c.userAgentCacheSize());
  }
}
