package io.indicativegateway.ingest;

/**
 * A request that ingestion answers with an error. The status is the HTTP status; over the event bus it becomes
 * the failure code of the reply, so both transports report the same thing.
 */
public final class IngestException extends RuntimeException {

  private final int status;
  private final int retryAfterSeconds;

  public IngestException(int status, String message) {
    this(status, message, 0);
  }

  public IngestException(int status, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
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
