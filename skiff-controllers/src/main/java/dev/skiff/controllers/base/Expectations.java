package dev.skiff.controllers.base;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's {@code ControllerExpectations}: how many creates and deletes a controller has
 * issued for an owner that its informer has not yet shown. While any are outstanding the owner is
 * not re-synced, so a controller never creates twice for the same gap before its cache catches up.
 * Expectations older than {@link #TTL} count as satisfied, so a lost watch event cannot wedge an
 * owner forever. Thread-safe.
 */
public final class Expectations {
  /** Upstream's {@code ExpectationsTimeout}. */
  public static final Duration TTL = Duration.ofMinutes(5);

  /** Outstanding creations as a count; deletions by object uid, so a deletion seen twice counts once. */
  private record Pending(int adds, Set<String> deletes, Instant setAt) {}

  private final InstantSource clock;
  private final Map<ObjectKey, Pending> pending = new ConcurrentHashMap<>();

  public Expectations(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** True when nothing is outstanding for {@code key}, or the record is stale: the owner may be synced. */
  public boolean satisfied(ObjectKey key) {
    Pending p = pending.get(key);
    if (p == null) {
      return true;
    }
    return (p.adds() <= 0 && p.deletes().isEmpty()) || clock.instant().isAfter(p.setAt().plus(TTL));
  }

  /** Expects {@code n} creations for {@code key}, replacing whatever was expected before. */
  public void expectCreations(ObjectKey key, int n) {
    pending.put(key, new Pending(n, Set.of(), clock.instant()));
  }

  /** Expects the deletion of the objects with {@code uids} for {@code key}, replacing whatever was expected before. */
  public void expectDeletions(ObjectKey key, Collection<String> uids) {
    pending.put(key, new Pending(0, Set.copyOf(uids), clock.instant()));
  }

  /** Expects {@code adds} creations and the deletion of {@code uids} for {@code key} at once, replacing whatever was expected. */
  public void expect(ObjectKey key, int adds, Collection<String> uids) {
    pending.put(key, new Pending(adds, Set.copyOf(uids), clock.instant()));
  }

  /** One creation was seen by the informer, or will never happen (the create failed). */
  public void creationObserved(ObjectKey key) {
    pending.computeIfPresent(key, (k, p) -> new Pending(p.adds() - 1, p.deletes(), p.setAt()));
  }

  /** One deletion was seen by the informer, or will never happen (the delete failed). */
  public void deletionObserved(ObjectKey key, String uid) {
    pending.computeIfPresent(key, (k, p) -> {
      if (!p.deletes().contains(uid)) {
        return p;
      }
      Set<String> left = new HashSet<>(p.deletes());
      left.remove(uid);
      return new Pending(p.adds(), Set.copyOf(left), p.setAt());
    });
  }

  /** Forgets {@code key}, when its owner is gone. */
  public void delete(ObjectKey key) {
    pending.remove(key);
  }
}
