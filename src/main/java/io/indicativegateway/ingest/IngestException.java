package io.indicativegateway.ingest;

/**
 * A request that ingestion answers with an error. The status is the HTTP status; over the event bus it becomes
 * the failure code of the reply, so both transports report the same thing.
 */
public final class IngestException extends RuntimeException {

  private final int status;
  private final int retryAfterSeconds;
  private final transient SourceRateLimiter.Decision rateLimit;

  public IngestException(int status, String message) {
    this(status, message, 0);
  }

  public IngestException(int status, String message, int retryAfterSeconds) {
    this(status, message, retryAfterSeconds, null);
  }

  public IngestException(int status, String message, int retryAfterSeconds, SourceRateLimiter.Decision rateLimit) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.rateLimit = rateLimit;
  }

  /** The rate-limit state for RateLimit headers, or null. */
  public SourceRateLimiter.Decision rateLimit() {
    return rateLimit;
  }

  public int status() {
    return status;
  }

  /** Seconds for a Retry-After header, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static IngestException badRequest(String message) {
    return new IngestException(400, message);
  }

  public static IngestException tooLarge(String message) {
    return new IngestException(413, message);
  }
}
