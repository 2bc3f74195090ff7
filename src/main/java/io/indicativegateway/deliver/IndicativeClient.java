package io.indicativegateway.deliver;

import io.indicativegateway.config.DeliverySettings;
import io.indicativegateway.translate.IndicativeItem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Instant;

/**
 * Sends one request to Indicative and classifies the answer; never fails its future (connection errors and
 * timeouts become {@link Outcome.Type#RETRY}). Connection pool and wait queue are bounded.
 */
final class IndicativeClient {

  static final String CLIENT_HEADER = "Indicative-Client";
  static final String CLIENT_NAME = "indicative-gateway/" + version();
  private static final String CONTENT_TYPE = "application/json; charset=UTF-8";
  /** Of Indicative's answer, only this much is kept (for dead letters); the rest is read and dropped. */
  static final int MAX_ANSWER_BYTES = 8 * 1024;

  private final WebClient client;
  private final String baseUrl;
  private final long timeoutMs;

  IndicativeClient(Vertx vertx, DeliverySettings settings) {
    WebClientOptions options = new WebClientOptions()
        .setUserAgent(CLIENT_NAME)
        .setConnectTimeout((int) settings.connectTimeoutMs())
        .setKeepAlive(true)
        .setDecompressionSupported(false)
        .setFollowRedirects(false);
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(settings.connectionPoolSize())
        .setHttp2MaxSize(Math.max(1, settings.connectionPoolSize() / 8))
        .setMaxWaitQueueSize(settings.maxInFlightRequests());
    this.client = WebClient.create(vertx, options, pool);
    this.baseUrl = settings.indicativeUrl();
    this.timeoutMs = settings.requestTimeoutMs();
  }

  Future<Outcome> send(IndicativeItem.Kind kind, Buffer body) {
    CappedBody answer = new CappedBody(MAX_ANSWER_BYTES);
    return client.postAbs(baseUrl + kind.path())
        .timeout(timeoutMs)
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), CONTENT_TYPE)
        .putHeader(CLIENT_HEADER, CLIENT_NAME)
        .as(BodyCodec.pipe(answer, false))
        .sendBuffer(body)
        .map(response -> Outcome.ofResponse(response.statusCode(), response.getHeader("Retry-After"),
            answer.text(), Instant.now()))
        .otherwise(Outcome::ofError);
  }

  void close() {
    client.close();
  }

  private static String version() {
    String version = IndicativeClient.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
