package io.indicativegateway.config;

import java.util.List;

/**
 * The HTTP listener of the Tracking API.
 *
 * @param maxHeaderBytes request headers larger than this are refused (431)
 * @param requestTimeoutSeconds a connection must deliver a complete request within this of opening or of its
 *     previous answer, or it is closed: slow clients cannot hold connections
 * @param maxConnections open connections beyond this are closed at once
 * @param corsAllowedOrigins origins browsers may post from; {@code *} = any (never with credentials)
 * @param tlsCertPath PEM certificate chain; TLS is on when this and {@code tlsKeyPath} are set
 * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-For} (and, for the browser settings,
 *     {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}) are believed
 * @param publicUrl the URL browsers reach the gateway at, for the browser settings' {@code apiHost}; null = the
 *     host and scheme of each request
 */
public record HttpSettings(
    String host,
    int port,
    int instances,
    int idleTimeoutSeconds,
    int maxHeaderBytes,
    int requestTimeoutSeconds,
    int maxConnections,
    List<String> corsAllowedOrigins,
    String tlsCertPath,
    String tlsKeyPath,
    List<String> trustedProxies,
    String publicUrl) {

  public boolean tls() {
    return tlsCertPath != null && tlsKeyPath != null;
  }
}
