package dev.skiff.storage;

/** The requested revision was compacted away; list again at the current revision. */
public final class CompactedException extends StoreException {
  private final long requestedRevision;
  private final long compactRevision;

  public CompactedException(long requestedRevision, long compactRevision) {
    super(
        "revision "
            + requestedRevision
            + " has been compacted; the oldest readable revision is "
            + compactRevision);
    this.requestedRevision = requestedRevision;
    this.compactRevision = compactRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }

  public long compactRevision() {
    return compactRevision;
  }
}
