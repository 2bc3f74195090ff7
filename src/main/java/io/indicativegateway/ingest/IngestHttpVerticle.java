package io.indicativegateway.ingest;

import io.indicativegateway.config.HttpSettings;
import io.indicativegateway.config.Source;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segment's Tracking API over HTTP: {@code POST /v1/{track,identify,page,screen,alias,group,batch,import}}, the
 * short paths Segment's browser library posts to ({@code /v1/t}, {@code /v1/p}, ... {@code /v1/b}), and the
 * settings that library loads ({@code GET /v1/projects/{writeKey}/settings}, see {@link BrowserSettings}).
 * Deployed as several instances that share the port, one per event loop.
 */
public final class IngestHttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(IngestHttpVerticle.class);
  /** Room for compression framing on top of the decompressed limit; the exact limit is checked after decoding. */
  private static final int ENCODING_SLACK = 4096;

  private final HttpSettings http;
  private final AtomicInteger openConnections;
  private final IngestService service;
  private final WriteKeyAuthenticator authenticator;
  private final SegmentJsonReader reader;
  private final HealthChecks liveness;
  private final HealthChecks readiness;
  private final Handler<RoutingContext> metrics;
  private final long shutdownGraceMs;
  private HttpServer server;
  private ClientAddress clientAddress;
  private BrowserSettings browserSettings;

  public IngestHttpVerticle(HttpSettings http, AtomicInteger openConnections, IngestService service, WriteKeyAuthenticator authenticator, SegmentJsonReader reader,
                            HealthChecks liveness, HealthChecks readiness, Handler<RoutingContext> metrics,
                            long shutdownGraceMs) {
    this.http = http;
    this.openConnections = openConnections;
    this.service = service;
    this.authenticator = authenticator;
    this.reader = reader;
    this.liveness = liveness;
    this.readiness = readiness;
    this.metrics = metrics;
    this.shutdownGraceMs = shutdownGraceMs;
  }

  @Override
  public Future<?> start() {
    var limits = service.limits();
    clientAddress = ClientAddress.trusting(http.trustedProxies());
    browserSettings = new BrowserSettings(http.publicUrl(), clientAddress);
    Router router = Router.router(vertx);
    router.route().handler(cors());
    // path routes, not regexes: the handler reads a check name from what follows the route's path
    router.route("/health/live*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.route("/health/ready*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(HealthCheckHandler.createWithHealthChecks(readiness));
    if (metrics != null) {
      router.get("/metrics").handler(metrics); // Prometheus text format
    }
    router.get("/v1/projects/:writeKey/settings").handler(this::settings);
    // the long paths of the contract, and the one-letter ones analytics.js 2.0 posts to
    router.postWithRegex("/v1/(track|identify|page|screen|alias|group|t|i|p|s|a|g)/?")
        .handler(bodyHandler(limits.maxMessageBytes()))
        .handler(ctx -> accept(ctx, callType(ctx.pathParam("param0")), limits.maxMessageBytes()));
    router.postWithRegex("/v1/(batch|import|b)/?")
        .handler(bodyHandler(limits.maxBatchBytes()))
        .handler(ctx -> accept(ctx, null, limits.maxBatchBytes()));
    router.errorHandler(404, ctx -> error(ctx.response(), 404, "no such endpoint: " + ctx.request().method()
        + " " + abbreviate(ctx.request().path())));
    router.errorHandler(405, ctx -> error(ctx.response(), 405, "method not allowed: "
        + (ctx.request().path().startsWith("/v1/") && !ctx.request().path().startsWith("/v1/projects/")
            ? "send POST" : "send GET")));
    router.errorHandler(413, ctx -> error(ctx.response(), 413, "the request body is too large"));
    router.errorHandler(500, ctx -> {
      log.error("unexpected failure answering {}", ctx.request().path(), ctx.failure());
      error(ctx.response(), 500, "internal error");
    });

    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setPort(http.port())
        .setIdleTimeout(http.idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(http.maxHeaderBytes())
        .setDecompressionSupported(false) // we inflate ourselves, bounded
        .setCompressionSupported(false);
    if (http.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(http.tlsCertPath()).setKeyPath(http.tlsKeyPath()));
    }
    ConnectionGuard guard = new ConnectionGuard(vertx, openConnections, http.maxConnections(),
        http.requestTimeoutSeconds() * 1000L);
    return vertx.createHttpServer(options)
        .connectionHandler(guard::connected)
        .requestHandler(request -> {
          guard.requestStarted(request);
          router.handle(request);
        })
        .listen()
        .onSuccess(s -> server = s)
        .recover(e -> Future.failedFuture("cannot listen on " + http.host() + ":" + http.port()
            + " (GATEWAY_PORT): " + e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    // Finish requests in flight (their stores complete), refuse new ones.
    return server == null ? Future.succeededFuture() : server.shutdown(shutdownGraceMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Browsers post with fetch, sendBeacon ({@code text/plain}, no preflight) and XHR: answer preflights and let
   * the configured origins read the answers. No credentials: the write key travels in the request.
   */
  private CorsHandler cors() {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Content-Type", "Authorization", "Content-Encoding", "X-Retry-Count"))
        .exposedHeaders(Set.of("Retry-After", "RateLimit", "RateLimit-Policy"))
        .allowCredentials(false)
        .maxAgeSeconds(86400);
    if (!http.corsAllowedOrigins().contains("*")) {
      cors.addOrigins(http.corsAllowedOrigins());
    }
    return cors;
  }

  private static BoundedBodyHandler bodyHandler(int decompressedLimit) {
    return new BoundedBodyHandler((long) decompressedLimit + decompressedLimit / 100 + ENCODING_SLACK);
  }

  private void accept(RoutingContext ctx, String pathType, int limit) {
    long receivedAt = System.currentTimeMillis();
    HttpServerResponse response = ctx.response();
    try {
      byte[] received = BoundedBodyHandler.body(ctx).getBytes();
      byte[] json = RequestBodyDecoder.decode(received, ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING), limit);
      if (json.length == 0) {
        throw IngestException.badRequest("the body is empty; send a JSON object");
      }
      SegmentJsonReader.ParsedBody parsed = reader.read(json);
      String basicUser = WriteKeyAuthenticator.basicUser(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      Source source = authenticator.authenticate(basicUser, parsed.root());
      boolean batch = pathType == null;
      RawSpans spans = batch ? parsed.batchSpans() : parsed.rootSpan();
      SourceRateLimiter.Decision quota = service.admit(source, batch && parsed.batchSpans() != null
          ? parsed.batchSpans().size() : 1);
      rateLimitHeaders(response, quota);
      service.ingest(new IngestCall(source, batch, pathType, parsed.root(), spans, receivedAt, "http",
              RequestOrigin.of(ctx.request(), clientAddress)))
          .onSuccess(answer -> json(response, 200, answer))
          .onFailure(failure -> fail(response, failure));
    } catch (RuntimeException e) {
      service.countRefusedRequest(e);
      fail(response, e);
    }
  }

  /** The call type of a path segment: {@code t} is what analytics.js 2.0 posts a track to, and so on. */
  static String callType(String segment) {
    return switch (segment) {
      case "t" -> "track";
      case "i" -> "identify";
      case "p" -> "page";
      case "s" -> "screen";
      case "a" -> "alias";
      case "g" -> "group";
      default -> segment;
    };
  }

  /** The browser library's source settings; 404 for a write key that is unknown or disabled. */
  private void settings(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    String writeKey = ctx.pathParam("writeKey");
    if (authenticator.enabledSource(writeKey).isEmpty()) {
      response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      error(response, 404, "no source has this write key");
      return;
    }
    BrowserSettings.ApiHost api = browserSettings.apiHost(ctx.request());
    if (api == null) {
      error(response, 400, "the request names no usable host; set GATEWAY_PUBLIC_URL");
      return;
    }
    response.putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=60");
    json(response, 200, BrowserSettings.document(writeKey, api));
  }

  /** RateLimit / RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers) when a rate limit is configured. */
  private void rateLimitHeaders(HttpServerResponse response, SourceRateLimiter.Decision quota) {
    if (quota == null) {
      return;
    }
    int limit = service.limits().rateLimitBurst();
    long window = Math.max(1, (long) Math.ceil((double) limit / service.rateLimit()));
    response.putHeader("RateLimit-Policy", limit + ";w=" + window);
    response.putHeader("RateLimit", "limit=" + limit + ", remaining=" + quota.remaining() + ", reset="
        + quota.resetSeconds());
  }

  private void fail(HttpServerResponse response, Throwable failure) {
    if (failure instanceof IngestException e && e.rateLimit() != null) {
      rateLimitHeaders(response, e.rateLimit());
    }
    if (failure instanceof IngestException e) {
      if (e.retryAfterSeconds() > 0) {
        response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
      }
      error(response, e.status(), e.getMessage());
    } else {
      log.error("unexpected failure while ingesting", failure);
      error(response, 500, "internal error");
    }
  }

  static void error(HttpServerResponse response, int status, String message) {
    json(response, status, new JsonObject().put("success", false).put("error", message));
  }

  static void json(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.toBuffer());
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }
}
