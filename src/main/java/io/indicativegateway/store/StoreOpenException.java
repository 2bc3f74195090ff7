package io.indicativegateway.store;

/** The store could not be opened; start-up stops with this message. */
public final class StoreOpenException extends RuntimeException {
  public StoreOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
