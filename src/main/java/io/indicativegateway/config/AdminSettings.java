package io.indicativegateway.config;

/**
 * The operators' API (dead letters, status) on its own port.
 *
 * @param token bearer token required on every admin request; null turns the admin API off
 */
public record AdminSettings(String host, int port, String token) {

  public boolean enabled() {
    return token != null;
  }

  @Override
  public String toString() {
    return "AdminSettings[" + host + ":" + port + (enabled() ? ", token set" : ", off") + "]";
  }
}
