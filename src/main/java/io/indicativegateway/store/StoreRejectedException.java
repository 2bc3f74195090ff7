package io.indicativegateway.store;

/**
 * The store cannot take a write now; nothing of the request was stored. Ingestion answers 503 with Retry-After.
 */
public final class StoreRejectedException extends RuntimeException {

  public enum Cause { FULL, BUSY, UNAVAILABLE, CLOSED }

  private final Cause cause;

  public StoreRejectedException(Cause cause, String message) {
    super(message, null, false, false);
    this.cause = cause;
  }

  public Cause reason() {
    return cause;
  }
}
