package dev.skiff.storage;

/** A store operation could not be carried out: the store is closed, unreachable or failing. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
