package dev.skiff.storage;

/** A value exceeds {@link Store#MAX_VALUE_BYTES}; nothing was written. */
public final class ValueTooLargeException extends StoreException {
  private final long size;

  public ValueTooLargeException(long size) {
    super(
        "value of "
            + size
            + " bytes exceeds the limit of "
            + Store.MAX_VALUE_BYTES
            + " bytes (1.5 MiB, etcd's request limit)");
    this.size = size;
  }

  public long size() {
    return size;
  }

}
