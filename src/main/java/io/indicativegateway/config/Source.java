package io.indicativegateway.config;

/**
 * A source: the write key its SDKs send, and the Indicative project (API key) its events go to.
 *
 * @param name a label for logs and metrics that never reveals the key
 */
public record Source(String name, String writeKey, String projectKey, boolean enabled) {

  /** First characters of a secret, enough to tell keys apart in logs without revealing them. */
  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "(none)";
    }
    int shown = Math.min(4, secret.length() / 4);
    return secret.substring(0, shown) + "…(" + secret.length() + " chars)";
  }

  @Override
  public String toString() {
    return "Source[" + name + ", writeKey=" + mask(writeKey) + ", project=" + mask(projectKey)
        + (enabled ? "" : ", disabled") + "]";
  }
}
