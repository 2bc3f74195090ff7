package io.indicativegateway.ingest;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The settings document Segment's browser library (analytics.js 2.0, {@code @segment/analytics-next}) loads from
 * {@code <cdnURL>/v1/projects/<writeKey>/settings} before it sends anything: a source whose only destination is
 * "Segment.io", with that destination's {@code apiHost} pointing at this gateway. With it the library needs no
 * request to Segment's CDN or API:
 * <ul>
 *   <li>one integration only, so no device-mode destination is loaded from a CDN;</li>
 *   <li>no routing rules, middleware, remote plugins, edge function or legacy video plugins, so nothing else is
 *       fetched;</li>
 *   <li>{@code metrics.sampleRate} 0, so the library sends no usage metrics of its own.</li>
 * </ul>
 *
 * <p>{@code apiHost} ({@code host[:port]/v1}) and {@code protocol} are those of the configured public URL, or else
 * the ones the browser used to reach the gateway: the request's Host (or HTTP/2 authority) and whether it came
 * over TLS; behind a trusted proxy, its {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}.
 */
public final class BrowserSettings {

  /** A host name, IPv4 or bracketed IPv6 address, and an optional port: nothing that could break out of a URL. */
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

  /** Where the library posts, as its Segment.io plugin takes it. */
  record ApiHost(String apiHost, String protocol) {}

  private final ApiHost configured;
  private final ClientAddress proxies;

  /**
   * @param publicUrl the URL browsers reach the gateway at (scheme, host, optional port and path), or null to
   *     derive it from each request
   */
  BrowserSettings(String publicUrl, ClientAddress proxies) {
    this.configured = publicUrl == null ? null : fromPublicUrl(publicUrl);
    this.proxies = proxies;
  }

  /** {@code https://events.example.com/segment} -> {@code events.example.com/segment/v1} over https. */
  static ApiHost fromPublicUrl(String publicUrl) {
    URI uri = URI.create(publicUrl);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new ApiHost(uri.getRawAuthority() + path + "/v1", uri.getScheme().toLowerCase(Locale.ROOT));
  }

  /** What makes the configured public URL unusable, or null when it is fine. */
  public static String problem(String publicUrl) {
    try {
      URI uri = new URI(publicUrl);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "must start with http:// or https://";
      }
      if (uri.getRawAuthority() == null || !HOST.matcher(uri.getRawAuthority()).matches()) {
        return "must name a host (and optionally a port), without user information";
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        return "must have no query or fragment";
      }
      return null;
    } catch (Exception e) {
      return "is not a URL: " + e.getMessage();
    }
  }

  /** Where browsers should post, or null when the request does not say a usable host. */
  ApiHost apiHost(HttpServerRequest request) {
    if (configured != null) {
      return configured;
    }
    boolean trusted = proxies.trustsAnyProxy() && request.remoteAddress() != null
        && proxies.isTrusted(request.remoteAddress().hostAddress());
    String protocol = request.isSSL() ? "https" : "http";
    String host = authority(request.authority());
    if (trusted) {
      String forwardedProto = first(request.getHeader("X-Forwarded-Proto"));
      if ("http".equalsIgnoreCase(forwardedProto) || "https".equalsIgnoreCase(forwardedProto)) {
        protocol = forwardedProto.toLowerCase(Locale.ROOT);
      }
      String forwardedHost = first(request.getHeader("X-Forwarded-Host"));
      if (forwardedHost != null) {
        host = forwardedHost;
      }
    }
    if (host == null || !HOST.matcher(host).matches()) {
      return null;
    }
    return new ApiHost(host + "/v1", protocol);
  }

  private static String authority(HostAndPort authority) {
    if (authority == null || authority.host() == null || authority.host().isEmpty()) {
      return null;
    }
    String host = authority.host();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return authority.port() > 0 ? host + ":" + authority.port() : host;
  }

  private static String first(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String value = (comma < 0 ? header : header.substring(0, comma)).trim();
    return value.isEmpty() ? null : value;
  }

  /** The document for a known source's write key. */
  static JsonObject document(String writeKey, ApiHost api) {
    JsonObject segmentIo = new JsonObject()
        .put("apiKey", writeKey)
        .put("apiHost", api.apiHost())
        .put("protocol", api.protocol())
        .put("unbundledIntegrations", new JsonArray())
        .put("addBundledMetadata", false)
        .put("maybeBundledConfigIds", new JsonObject())
        .put("versionSettings", new JsonObject().put("componentTypes", new JsonArray().add("browser")));
    JsonObject enabled = new JsonObject().put("__default", new JsonObject().put("enabled", true)
        .put("integrations", new JsonObject()));
    return new JsonObject()
        .put("integrations", new JsonObject().put("Segment.io", segmentIo))
        .put("plan", new JsonObject().put("track", enabled.copy()).put("identify", enabled.copy())
            .put("group", enabled.copy()))
        .put("edgeFunction", new JsonObject())
        .put("analyticsNextEnabled", true)
        .put("middlewareSettings", new JsonObject())
        .put("enabledMiddleware", new JsonObject())
        .put("metrics", new JsonObject().put("sampleRate", 0))
        .put("legacyVideoPluginsEnabled", false)
        .put("remotePlugins", new JsonArray());
  }
}
