package dev.skiff.controllers.job;

import dev.skiff.controllers.base.ObjectKey;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's {@code uidTrackingExpectations}: the pods of each Job whose tracking finalizer this
 * controller has removed but whose update the informer has not shown yet. A sync skips them, so a
 * pod it has already counted is never counted twice from a stale cache. Thread-safe.
 */
final class FinalizerRemovals {
  private final Map<ObjectKey, Set<String>> pending = new ConcurrentHashMap<>();

  void expect(ObjectKey job, Collection<String> podUids) {
    pending.computeIfAbsent(job, k -> ConcurrentHashMap.newKeySet()).addAll(podUids);
  }

  /** The informer showed the pod without the finalizer, or deleted. */
  void observed(ObjectKey job, String podUid) {
    Set<String> uids = pending.get(job);
    if (uids != null) {
      uids.remove(podUid);
    }
  }

  Set<String> pending(ObjectKey job) {
    Set<String> uids = pending.get(job);
    return uids == null ? Set.of() : Set.copyOf(uids);
  }

  void delete(ObjectKey job) {
    pending.remove(job);
  }
}
