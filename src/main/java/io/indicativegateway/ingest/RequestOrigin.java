package io.indicativegateway.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * What an HTTP request tells about the device that sent it, for the fields Segment fills on receipt when the
 * message lacks them (see {@link MessageEnricher}).
 *
 * @param ip the client's address ({@link ClientAddress}), or null when unknown
 * @param browserUserAgent the request's {@code User-Agent} when a browser page sent it, else null: a server-side
 *     SDK's or a proxy's user agent says nothing about the user's device
 */
public record RequestOrigin(String ip, String browserUserAgent) {

  /** Longest User-Agent header taken over; longer ones are not a browser's. */
  static final int MAX_USER_AGENT = 1024;

  public static RequestOrigin of(HttpServerRequest request, ClientAddress addresses) {
    SocketAddress peer = request.remoteAddress();
    String ip = peer == null ? null : addresses.resolve(peer.hostAddress(),
        request.headers().getAll("X-Forwarded-For"));
    return new RequestOrigin(ip, browserUserAgent(request.getHeader(HttpHeaders.USER_AGENT),
        request.getHeader(HttpHeaders.ORIGIN)));
  }

  /**
   * The user agent of a request a web page made: browsers name themselves {@code Mozilla/5.0 (...)} and add an
   * {@code Origin} header to every POST (fetch, XHR, sendBeacon), which server-side SDKs and command-line
   * clients do not send. Null when either is missing.
   */
  static String browserUserAgent(String userAgent, String origin) {
    if (userAgent == null || origin == null || origin.isEmpty() || userAgent.length() > MAX_USER_AGENT
        || !userAgent.startsWith("Mozilla/")) {
      return null;
    }
    return userAgent;
  }
}
