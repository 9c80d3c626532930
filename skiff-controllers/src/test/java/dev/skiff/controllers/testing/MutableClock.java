package dev.skiff.controllers.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs with the system clock but that tests can jump forward (or back), for
 * controllers whose behaviour depends on time. It keeps ticking between jumps because code under
 * test may name things by the time (events are named by nanoseconds). Thread-safe.
 */
public final class MutableClock implements InstantSource {
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  /** Makes the clock read {@code t} now. */
  public void set(Instant t) {
    offset.set(Duration.between(Instant.now(), t));
  }

  public void advance(Duration d) {
    offset.updateAndGet(o -> o.plus(d));
  }
}
