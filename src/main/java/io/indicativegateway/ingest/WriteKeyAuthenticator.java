package io.indicativegateway.ingest;

import io.indicativegateway.config.Source;
import io.indicativegateway.config.SourceRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the source of a call from its write key: HTTP Basic auth with the key as user name (password ignored),
 * or {@code writeKey} at the top level of the JSON body. Unknown, missing and disabled keys are refused with 401;
 * the error names the write key as the problem without echoing it.
 */
public final class WriteKeyAuthenticator {

  private final SourceRegistry sources;

  public WriteKeyAuthenticator(SourceRegistry sources) {
    this.sources = sources;
  }

  /**
   * The source, from the key the transport carried (Basic auth user, event-bus header) if it is known, else from
   * the body's writeKey.
   */
  public Source authenticate(String presentedKey, JsonObject body) {
    String fromHeader = presentedKey;
    Optional<Source> source = sources.find(fromHeader);
    if (source.isEmpty() && body != null && body.getValue("writeKey") instanceof String fromBody) {
      source = sources.find(fromBody);
    }
    if (source.isEmpty()) {
      boolean offered = fromHeader != null || (body != null && body.getValue("writeKey") != null);
      throw new IngestException(401, offered
          ? "unknown write key: send a configured source's write key as the Basic auth user name or as writeKey"
          : "missing write key: send it as the Basic auth user name or as writeKey in the body");
    }
    if (!source.get().enabled()) {
      throw new IngestException(401, "the write key belongs to a disabled source");
    }
    return source.get();
  }

  /** The enabled source with this write key, if there is one (for endpoints that name the key in the path). */
  public Optional<Source> enabledSource(String writeKey) {
    return sources.find(writeKey).filter(Source::enabled);
  }

  /** The user name of a Basic Authorization header, or null if there is no usable one. */
  public static String basicUser(String authorization) {
    if (authorization == null || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
          StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isEmpty() ? null : user;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
