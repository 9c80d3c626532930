package dev.skiff.controllers.job;

import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Upstream's {@code manageJob}: creates pods up to what parallelism and the remaining completions
 * allow (for an Indexed Job, for the lowest pending indexes), deletes surplus pods (for an Indexed
 * Job, duplicates and completed indexes first), and releases pods from the tracking finalizer.
 * Deleting a pod first removes its finalizer, so a pod the controller deletes is never counted as
 * failed. Expectations are raised before each batch of writes.
 */
final class PodScaling {
  /** Upstream's {@code MaxPodCreateDeletePerSync}. */
  static final int BURST = 500;

  /** What {@link #scale} did: active pods after it, and whether back-off held creations back. */
  record Outcome(int activeAfter, boolean heldBack) {}

  private final KubernetesClient client;
  private final Expectations expectations;
  private final FinalizerRemovals removals;
  private final EventRecorder events;

  PodScaling(KubernetesClient client, Expectations expectations, FinalizerRemovals removals, EventRecorder events) {
    this.client = Objects.requireNonNull(client, "client");
    this.expectations = Objects.requireNonNull(expectations, "expectations");
    this.removals = Objects.requireNonNull(removals, "removals");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * Brings the active pods to what the Job wants.
   *
   * @param mayCreate false while failure back-off runs: no pod is created
   */
  Outcome scale(ObjectKey key, Job job, List<Pod> active, int terminating, int succeeded, CompletedIndexes completed,
      Optional<IndexFailures> failures, boolean mayCreate) throws Exception {
    int parallelism = JobSpecView.parallelism(job);
    if (JobSpecView.indexed(job)) {
      return scaleIndexed(key, job, active, terminating, completed, failures, parallelism, mayCreate);
    }
    var completions = JobSpecView.completions(job);
    int want;
    if (completions.isEmpty()) {
      want = succeeded > 0 ? Math.min(active.size(), parallelism) : parallelism;
    } else {
      want = Math.max(0, Math.min(parallelism, completions.get() - succeeded));
    }
    int occupied = active.size() + (JobSpecView.onlyReplaceFailed(job) ? terminating : 0);
    if (active.size() > want) {
      List<Pod> victims = active.stream().sorted(deletionOrder()).limit(Math.min(active.size() - want, BURST)).toList();
      delete(key, job, victims);
      return new Outcome(active.size() - victims.size(), false);
    }
    int missing = Math.min(want - occupied, BURST);
    return fill(key, job, active.size(), java.util.Collections.nCopies(Math.max(0, missing), OptionalInt.empty()),
        Optional.empty(), mayCreate);
  }

  private Outcome scaleIndexed(ObjectKey key, Job job, List<Pod> active, int terminating, CompletedIndexes completed,
      Optional<IndexFailures> failures, int parallelism, boolean mayCreate) throws Exception {
    int completions = JobSpecView.completions(job).orElse(0);
    CompletedIndexes failed = failures.map(IndexFailures::failed).orElse(CompletedIndexes.parse(null, completions));
    BitSet running = new BitSet();
    List<Pod> surplus = new ArrayList<>();
    for (Pod p : active.stream().sorted(deletionOrder().reversed()).toList()) {
      OptionalInt i = JobPods.index(p, completions);
      if (i.isEmpty() || completed.contains(i.getAsInt()) || failed.contains(i.getAsInt()) || running.get(i.getAsInt())) {
        surplus.add(p); // no valid index, index done or failed already, or a second pod for one index
      } else {
        running.set(i.getAsInt());
      }
    }
    int want = Math.max(0, Math.min(parallelism, completions - completed.count() - failed.count()));
    List<Pod> keep = active.stream().filter(p -> !surplus.contains(p)).sorted(
        Comparator.comparingInt((Pod p) -> JobPods.index(p, completions).getAsInt())).toList();
    if (keep.size() > want) {
      surplus.addAll(keep.subList(want, keep.size()));
    }
    if (!surplus.isEmpty()) {
      List<Pod> victims = surplus.subList(0, Math.min(surplus.size(), BURST));
      delete(key, job, victims);
      return new Outcome(active.size() - victims.size(), false);
    }
    int occupied = keep.size() + (JobSpecView.onlyReplaceFailed(job) ? terminating : 0);
    int missing = Math.min(want - occupied, BURST);
    List<OptionalInt> indexes = new ArrayList<>();
    for (int i = 0; i < completions && indexes.size() < missing; i++) {
      if (!completed.contains(i) && !failed.contains(i) && !running.get(i)) {
        indexes.add(OptionalInt.of(i));
      }
    }
    return fill(key, job, active.size(), indexes, failures, mayCreate);
  }

  /** Creates one pod per entry of {@code indexes} unless back-off holds creations back. */
  private Outcome fill(ObjectKey key, Job job, int active, List<OptionalInt> indexes, Optional<IndexFailures> failures,
      boolean mayCreate) throws Exception {
    if (indexes.isEmpty()) {
      return new Outcome(active, false);
    }
    if (!mayCreate) {
      return new Outcome(active, true);
    }
    create(key, job, indexes, failures);
    return new Outcome(active + indexes.size(), false);
  }

  /** Not ready before ready, then the newest first, roughly upstream's {@code ActivePods} ranking. */
  private static Comparator<Pod> deletionOrder() {
    return Comparator.comparing((Pod p) -> PodConditions.isReady(p))
        .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp(),
            Comparator.reverseOrder());
  }

  private void create(ObjectKey key, Job job, List<OptionalInt> indexes, Optional<IndexFailures> failures)
      throws Exception {
    expectations.expectCreations(key, indexes.size());
    KubernetesClientException first = null;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> results = new ArrayList<>();
      for (OptionalInt index : indexes) {
        results.add(pool.submit(() -> {
          try {
            Pod pod = JobPods.newPod(job, index);
            failures.ifPresent(f -> pod.getMetadata().getAnnotations()
                .put(IndexFailures.FAILURE_COUNT, Integer.toString(f.count(index.orElseThrow()))));
            Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
            events.event(job, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
          } catch (KubernetesClientException e) {
            expectations.creationObserved(key); // a failed create will never be observed
            events.event(job, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (first == null && e.getCause() instanceof KubernetesClientException k) {
            first = k;
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Deletes {@code victims}, each after removing its tracking finalizer, as upstream's {@code deleteJobPods}. */
  void delete(ObjectKey key, Job job, List<Pod> victims) {
    expectations.expectDeletions(key, victims.stream().map(p -> p.getMetadata().getUid()).toList());
    try {
      unfinalize(key, victims.stream().filter(JobPods::hasTrackingFinalizer).toList());
    } catch (KubernetesClientException e) {
      victims.forEach(p -> expectations.deletionObserved(key, p.getMetadata().getUid()));
      throw e;
    }
    for (Pod pod : victims) {
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        events.event(job, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
      } catch (KubernetesClientException e) {
        expectations.deletionObserved(key, pod.getMetadata().getUid());
        if (e.getCode() != 404) {
          events.event(job, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
          throw e;
        }
      }
    }
  }

  /**
   * Removes the tracking finalizer from {@code targets} in parallel.
   *
   * @return the uids whose finalizer is gone now (removed, or the pod no longer exists)
   */
  Set<String> unfinalize(ObjectKey key, List<Pod> targets) {
    if (targets.isEmpty()) {
      return Set.of();
    }
    removals.expect(key, targets.stream().map(p -> p.getMetadata().getUid()).toList());
    Set<String> done = ConcurrentHashMap.newKeySet();
    List<KubernetesClientException> errors = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Pod pod : targets) {
        pool.submit(() -> {
          String uid = pod.getMetadata().getUid();
          try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), JobPods.removeFinalizerPatch(pod));
            done.add(uid);
          } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
              done.add(uid);
            } else {
              removals.observed(key, uid); // it did not happen: let the next sync try again
              synchronized (errors) {
                errors.add(e);
              }
            }
          }
        });
      }
    }
    if (!errors.isEmpty()) {
      throw errors.getFirst();
    }
    return new HashSet<>(done);
  }
}
