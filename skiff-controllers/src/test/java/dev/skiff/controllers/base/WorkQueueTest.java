package dev.skiff.controllers.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The work queue's dedup, processing hand-off and back-off, on an injected clock. */
class WorkQueueTest {
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final InstantSource clock = () -> now.get();
  final ObjectKey a = new ObjectKey("ns", "a");
  final ObjectKey b = new ObjectKey("ns", "b");

  @Test
  void backoffDoublesFromFiveMillisAndCapsAtThousandSeconds() {
    ItemExponentialBackoff backoff = ItemExponentialBackoff.controllerDefault();
    assertThat(backoff.when(a)).isEqualTo(Duration.ofMillis(5));
    assertThat(backoff.when(a)).isEqualTo(Duration.ofMillis(10));
    assertThat(backoff.when(a)).isEqualTo(Duration.ofMillis(20));
    assertThat(backoff.when(b)).isEqualTo(Duration.ofMillis(5));
    for (int i = 0; i < 30; i++) {
      backoff.when(a);
    }
    assertThat(backoff.when(a)).isEqualTo(Duration.ofSeconds(1000));
    backoff.forget(a);
    assertThat(backoff.retries(a)).isZero();
    assertThat(backoff.when(a)).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void queuedKeysAreDeduplicated() {
    WorkQueue<ObjectKey> q = new WorkQueue<>(clock, ItemExponentialBackoff.controllerDefault());
    q.add(a);
    q.add(b);
    q.add(a);
    assertThat(q.length()).isEqualTo(2);
    assertThat(q.poll()).contains(a);
    assertThat(q.poll()).contains(b);
    assertThat(q.poll()).isEmpty();
  }

  @Test
  void keyAddedWhileProcessingIsHandedOutAgainOnlyAfterDone() {
    WorkQueue<ObjectKey> q = new WorkQueue<>(clock, ItemExponentialBackoff.controllerDefault());
    q.add(a);
    assertThat(q.poll()).contains(a);
    q.add(a);
    assertThat(q.poll()).as("never two workers on one key").isEmpty();
    q.done(a);
    assertThat(q.poll()).contains(a);
    q.done(a);
    assertThat(q.poll()).isEmpty();
  }

  @Test
  void rateLimitedAddsWaitForTheirBackoffOnTheInjectedClock() {
    WorkQueue<ObjectKey> q = new WorkQueue<>(clock, ItemExponentialBackoff.controllerDefault());
    q.addRateLimited(a);
    assertThat(q.poll()).isEmpty();
    now.set(now.get().plusMillis(5));
    Optional<ObjectKey> first = q.poll();
    assertThat(first).contains(a);
    q.done(a);
    q.addRateLimited(a); // second failure: 10 ms
    now.set(now.get().plusMillis(9));
    assertThat(q.poll()).isEmpty();
    now.set(now.get().plusMillis(1));
    assertThat(q.poll()).contains(a);
    q.done(a);
    q.forget(a);
    assertThat(q.retries(a)).isZero();
  }

  @Test
  void delayedItemsComeOutInDueOrder() {
    WorkQueue<ObjectKey> q = new WorkQueue<>(clock, ItemExponentialBackoff.controllerDefault());
    q.addAfter(a, Duration.ofSeconds(2));
    q.addAfter(b, Duration.ofSeconds(1));
    now.set(now.get().plusSeconds(3));
    assertThat(q.poll()).contains(b);
    assertThat(q.poll()).contains(a);
  }

  @Test
  void expectationsBlockSyncUntilObservedOrExpired() {
    Expectations e = new Expectations(clock);
    assertThat(e.satisfied(a)).isTrue();
    e.expectCreations(a, 2);
    assertThat(e.satisfied(a)).isFalse();
    e.creationObserved(a);
    assertThat(e.satisfied(a)).isFalse();
    e.creationObserved(a);
    assertThat(e.satisfied(a)).isTrue();
    e.expectDeletions(a, java.util.List.of("u1"));
    e.deletionObserved(a, "u1");
    e.deletionObserved(a, "u1");
    assertThat(e.satisfied(a)).isTrue();
    e.expectDeletions(a, java.util.List.of("u2"));
    assertThat(e.satisfied(a)).isFalse();
    now.set(now.get().plus(Expectations.TTL).plusSeconds(1));
    assertThat(e.satisfied(a)).as("stale expectations").isTrue();
  }
}
