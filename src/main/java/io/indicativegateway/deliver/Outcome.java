package io.indicativegateway.deliver;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * What one request to Indicative came to, classified as contract section 5 says.
 *
 * @param detail status and (abbreviated) response body, or the connection error, for logs and dead letters
 */
record Outcome(Type type, int status, String detail, OptionalLong retryAfterMs) {

  enum Type {
    /** 2xx: Indicative has it. */
    DELIVERED,
    /** 400, 413, 422: something in the request is refused; bisect to find it. */
    REJECTED,
    /** 401, 403: the project key is wrong; keep the messages and hold the project. */
    AUTH_FAILED,
    /** 408, 429, 5xx, anything else, timeouts and connection errors: try again later. */
    RETRY
  }

  static final int MAX_DETAIL = 2000;

  static Outcome ofResponse(int status, String retryAfter, String body, Instant now) {
    String detail = "HTTP " + status + (body == null || body.isEmpty() ? "" : ": " + abbreviate(body));
    Type type;
    if (status >= 200 && status < 300) {
      type = Type.DELIVERED;
    } else if (status == 400 || status == 413 || status == 422) {
      type = Type.REJECTED;
    } else if (status == 401 || status == 403) {
      type = Type.AUTH_FAILED;
    } else {
      type = Type.RETRY;
    }
    return new Outcome(type, status, detail, Backoff.retryAfterMillis(retryAfter, now));
  }

  static Outcome ofError(Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new Outcome(Type.RETRY, 0, "no answer: " + abbreviate(message), OptionalLong.empty());
  }

  /** Short word for metrics: http status class or the kind of failure. */
  String cause() {
    return status == 0 ? "connection" : status == 429 ? "429" : status >= 500 ? "5xx" : Integer.toString(status);
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
  }
}
