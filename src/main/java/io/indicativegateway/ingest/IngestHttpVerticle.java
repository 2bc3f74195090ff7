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
import org.slf4j.spi.LoggingEventBuilder;

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
  /** Set by most ingress controllers and load balancers; logged to tie a refusal to their access log. */
  private static final String REQUEST_ID = "X-Request-Id";

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
  private final RefusalLog refusals = new RefusalLog(log);

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
    // Not served: @segment/analytics-next (1.84.3, the version src/test/browser pins) loads only /settings;
    // /integrations was the classic analytics.js CDN path. Answered here so the 404 names no write key.
    router.get("/v1/projects/:writeKey/integrations").handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      error(ctx.response(), 404, "not served: the browser library loads /v1/projects/{writeKey}/settings");
    });
    // the long paths of the contract, and the one-letter ones analytics.js 2.0 posts to
    router.postWithRegex("/v1/(track|identify|page|screen|alias|group|t|i|p|s|a|g)/?")
        .handler(bodyHandler(limits.maxMessageBytes()))
        .handler(ctx -> accept(ctx, callType(ctx.pathParam("param0")), limits.maxMessageBytes()));
    router.postWithRegex("/v1/(batch|import|b)/?")
        .handler(bodyHandler(limits.maxBatchBytes()))
        .handler(ctx -> accept(ctx, null, limits.maxBatchBytes()));
    router.errorHandler(404, ctx -> error(ctx.response(), 404, "no such endpoint: " + ctx.request().method()
        + " " + abbreviate(withoutWriteKey(ctx.request().path()))));
    // the CORS handler refuses an origin that is not allowed with ctx.fail(403): answer in the usual shape
    router.errorHandler(403, ctx -> error(ctx.response(), 403,
        "this origin may not call the gateway from a browser (see GATEWAY_CORS_ORIGINS)"));
    router.errorHandler(405, ctx -> error(ctx.response(), 405, "method not allowed: "
        + (ctx.request().path().startsWith("/v1/") && !ctx.request().path().startsWith("/v1/projects/")
            ? "send POST" : "send GET")));
    router.errorHandler(413, ctx -> error(ctx.response(), 413, "the request body is too large"));
    router.errorHandler(500, ctx -> {
      log.atError().addKeyValue("transport", "http").addKeyValue("path", loggablePath(ctx.request().path()))
          .setCause(ctx.failure()).log("unexpected failure answering a request");
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

  private BoundedBodyHandler bodyHandler(int decompressedLimit) {
    return new BoundedBodyHandler((long) decompressedLimit + decompressedLimit / 100 + ENCODING_SLACK,
        decompressedLimit, this::refuse);
  }

  private void accept(RoutingContext ctx, String pathType, int limit) {
    IngestCall call;
    try {
      call = read(ctx, pathType, limit);
    } catch (RuntimeException e) {
      refuse(ctx, e);
      return;
    }
    HttpServerResponse response = ctx.response();
    service.admit(call.source(), call.batch() && call.raw() != null ? call.raw().size() : 1)
        .compose(quota -> {
          rateLimitHeaders(response, quota);
          return service.ingest(call);
        })
        .onSuccess(answer -> json(response, 200, answer))
        .onFailure(failure -> fail(ctx, call.source(), failure));
  }

  /** A request refused before ingestion (unreadable, too large, unknown key): counted, answered, logged. */
  private void refuse(RoutingContext ctx, RuntimeException refusal) {
    service.countRefusedRequest(refusal);
    fail(ctx, null, refusal);
  }

  /** Decodes, parses and authenticates the request; throws {@link IngestException} when it cannot be taken. */
  private IngestCall read(RoutingContext ctx, String pathType, int limit) {
    long receivedAt = System.currentTimeMillis();
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
    return new IngestCall(source, batch, pathType, parsed.root(), spans, receivedAt, "http",
        RequestOrigin.of(ctx.request(), clientAddress));
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

  /** Answers a refused or failed call; {@code source} is null when the failure came before authentication. */
  private void fail(RoutingContext ctx, Source source, Throwable failure) {
    HttpServerResponse response = ctx.response();
    if (failure instanceof IngestException e && e.rateLimit() != null) {
      rateLimitHeaders(response, e.rateLimit());
    }
    if (failure instanceof IngestException e) {
      if (e.retryAfterSeconds() > 0) {
        response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
      }
      logRefusal(ctx, source, e);
      error(response, e.status(), e.getMessage());
    } else {
      withRequestFields(log.atError(), ctx, source).setCause(failure).log("unexpected failure while ingesting");
      error(response, 500, "internal error");
    }
  }

  /**
   * The refusals an operator may need to explain (keys, sizes, rate limits, a full or failing store), with the
   * fields to find the client by; the caller's own mistakes (400) are answered and counted, not logged.
   */
  private void logRefusal(RoutingContext ctx, Source source, IngestException refusal) {
    LoggingEventBuilder line = refusals.forStatus(refusal.status());
    if (RefusalLog.writes(line)) {
      withRequestFields(line, ctx, source)
          .addKeyValue("status", refusal.status())
          .log("refused a request: {}", refusal.getMessage());
    }
  }

  /** What identifies the request in a log line: never a key in full. */
  private static LoggingEventBuilder withRequestFields(LoggingEventBuilder line, RoutingContext ctx, Source source) {
    String presented = WriteKeyAuthenticator.basicUser(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    line = line.addKeyValue("transport", "http")
        .addKeyValue("path", loggablePath(ctx.request().path()))
        .addKeyValue("source", source != null ? source.name() : "writeKey " + Source.mask(presented));
    String requestId = ctx.request().getHeader(REQUEST_ID);
    return requestId == null || requestId.isEmpty() ? line
        : line.addKeyValue("requestId", requestId.length() <= 64 ? requestId : requestId.substring(0, 64));
  }

  /** The path for a log line: the write key of a {@code /v1/projects/...} path left out, long paths cut. */
  static String loggablePath(String path) {
    return path == null ? null : abbreviate(withoutWriteKey(path));
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

  /** {@code /v1/projects/<key>/x} -> {@code /v1/projects/{writeKey}/x}: an error never echoes a write key. */
  static String withoutWriteKey(String path) {
    String prefix = "/v1/projects/";
    if (path == null || !path.startsWith(prefix)) {
      return path;
    }
    int end = path.indexOf('/', prefix.length());
    return prefix + "{writeKey}" + (end < 0 ? "" : path.substring(end));
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }
}
