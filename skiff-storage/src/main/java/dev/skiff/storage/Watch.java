package dev.skiff.storage;

import java.time.Duration;

/**
 * A live watch on a key range: a bounded queue of {@link WatchResponse}s that the reader drains
 * at its own pace. A slow reader never slows writers or other watches; one that falls too far
 * behind is ended with {@link WatchResponse.Reason#OVERFLOW}.
 *
 * <p>{@link #poll} is for one reader thread; {@link #requestProgress()} and {@link #close()} may
 * be called from any thread.
 */
public interface Watch extends AutoCloseable {

  /**
   * The next response, waiting up to {@code timeout}; {@code null} if none came in time. After
   * an {@link WatchResponse.Ended}, every call returns that same response at once.
   */
  WatchResponse poll(Duration timeout) throws InterruptedException;

  /**
   * Asks for a {@link WatchResponse.Progress}, which arrives after every event already due to
   * this watch; an idle watch gets it promptly.
   */
  void requestProgress();

  /** Ends the watch with {@link WatchResponse.Reason#CLOSED}; idempotent. */
  @Override
  void close();
}
