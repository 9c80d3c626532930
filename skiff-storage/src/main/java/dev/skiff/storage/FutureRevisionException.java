package dev.skiff.storage;

/** The requested revision is newer than the store's current revision. */
public final class FutureRevisionException extends StoreException {
  private final long requestedRevision;
  private final long currentRevision;

  public FutureRevisionException(long requestedRevision, long currentRevision) {
    super(
        "revision "
            + requestedRevision
            + " is in the future; the current revision is "
            + currentRevision);
    this.requestedRevision = requestedRevision;
    this.currentRevision = currentRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }

  public long currentRevision() {
    return currentRevision;
  }
}
