package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.PodConditions;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * One sync of one ReplicaSet (upstream's {@code syncReplicaSet}): claim pods, create or delete
 * the difference to {@code spec.replicas} (unless expectations are still outstanding), write
 * the status once. Idempotent: every step starts from the cache.
 */
final class ReplicaSetSync implements Reconciler {
  /** Upstream's {@code BurstReplicas}: at most this many creates or deletes per sync. */
  static final int BURST_REPLICAS = 500;

  private final KubernetesClient client;
  private final ReplicatedKind replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations;
  private final EventRecorder events;
  private final ControllerRefClaim<Pod> claim;
  private final InstantSource clock;

  ReplicaSetSync(KubernetesClient client, ReplicatedKind replicaSets, SharedIndexInformer<Pod> pods,
      Expectations expectations, EventRecorder events, ControllerRefClaim<Pod> claim, InstantSource clock) {
    this.client = client;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.expectations = expectations;
    this.events = events;
    this.claim = claim;
    this.clock = clock;
  }

  @Override
  public Result reconcile(ObjectKey key) throws Exception {
    ReplicaSet rs = replicaSets.cached(key.namespace(), key.name());
    if (rs == null) {
      expectations.delete(key);
      return Result.done();
    }
    boolean needsSync = expectations.satisfied(key);
    List<Pod> active = pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace()).stream()
        .filter(PodConditions::isActive).toList();
    List<Pod> owned = claim.claim(rs, rs.getSpec().getSelector(), active, () -> canAdopt(rs));
    Exception manageError = null;
    int diff = owned.size() - replicas(rs);
    if (needsSync && rs.getMetadata().getDeletionTimestamp() == null) {
      try {
        manageReplicas(key, rs, owned);
      } catch (KubernetesClientException e) {
        manageError = e;
      }
    }
    ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, owned, manageError, diff < 0, clock.instant());
    ReplicaSet updated = updateStatus(rs, status);
    if (manageError != null) {
      throw manageError;
    }
    int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    ReplicaSetStatus s = updated.getStatus();
    if (minReady > 0 && n(s.getReadyReplicas()) == replicas(rs) && n(s.getAvailableReplicas()) != replicas(rs)) {
      // pods become available by the passing of time, which no event announces
      return Result.requeueAfter(Duration.ofSeconds(minReady));
    }
    return Result.done();
  }

  private boolean canAdopt(ReplicaSet rs) {
    ReplicaSet fresh = replicaSets.fresh(rs.getMetadata().getNamespace(), rs.getMetadata().getName()).orElse(null);
    return fresh != null && Objects.equals(fresh.getMetadata().getUid(), rs.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private void manageReplicas(ObjectKey key, ReplicaSet rs, List<Pod> owned) throws InterruptedException {
    int diff = owned.size() - replicas(rs);
    if (diff < 0) {
      int want = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, want);
      SlowStartBatch.Outcome outcome = SlowStartBatch.run(want, 1, () -> createPod(rs));
      for (int i = outcome.successes(); i < want; i++) {
        expectations.creationObserved(key); // a create that failed or never ran will never be observed
      }
      if (outcome.firstError() instanceof KubernetesClientException e) {
        throw e;
      } else if (outcome.firstError() != null) {
        throw new KubernetesClientException(outcome.firstError().getMessage(), outcome.firstError());
      }
    } else if (diff > 0) {
      int count = Math.min(diff, BURST_REPLICAS);
      List<Pod> victims = podsToDelete(rs, owned, count);
      expectations.expectDeletions(key, victims.stream().map(p -> p.getMetadata().getUid()).toList());
      KubernetesClientException first = null;
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<KubernetesClientException>> results = new ArrayList<>();
        for (Pod victim : victims) {
          results.add(pool.submit(() -> deletePod(key, rs, victim)));
        }
        for (Future<KubernetesClientException> f : results) {
          try {
            KubernetesClientException e = f.get();
            first = first == null ? e : first;
          } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  /** The {@code count} pods ranked first for deletion; all of them when that is every pod. */
  private List<Pod> podsToDelete(ReplicaSet rs, List<Pod> owned, int count) {
    if (count >= owned.size()) {
      return owned;
    }
    List<Pod> related = relatedPods(rs);
    List<ActivePodsRanking.Ranked> ranked = new ArrayList<>(ActivePodsRanking.rankByRelatedPodsOnSameNode(owned, related));
    ranked.sort(new ActivePodsRanking(clock.instant()));
    return ranked.subList(0, count).stream().map(ActivePodsRanking.Ranked::pod).toList();
  }

  /** Pods of this ReplicaSet and of its siblings (same controller), as upstream's {@code getIndirectlyRelatedPods}. */
  private List<Pod> relatedPods(ReplicaSet rs) {
    String ns = rs.getMetadata().getNamespace();
    var owner = OwnerReferences.controllerOf(rs);
    Set<String> rsUids = replicaSets.cachedIn(ns).stream()
        .filter(other -> other.getMetadata().getUid().equals(rs.getMetadata().getUid())
            || (owner.isPresent() && OwnerReferences.controllerOf(other).map(o -> o.getUid().equals(owner.get().getUid()))
                .orElse(false)))
        .map(other -> other.getMetadata().getUid()).collect(Collectors.toSet());
    return pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, ns).stream()
        .filter(p -> OwnerReferences.controllerOf(p).map(o -> rsUids.contains(o.getUid())).orElse(false)).toList();
  }

  private void createPod(ReplicaSet rs) {
    var template = rs.getSpec().getTemplate();
    var tm = template.getMetadata() == null ? new ObjectMetaBuilder().build() : template.getMetadata();
    if (tm.getLabels() == null || tm.getLabels().isEmpty()) {
      throw new KubernetesClientException("unable to create pods, no labels");
    }
    Pod pod = new PodBuilder()
        .withMetadata(new ObjectMetaBuilder().withGenerateName(rs.getMetadata().getName() + "-")
            .withNamespace(rs.getMetadata().getNamespace()).withLabels(tm.getLabels()).withAnnotations(tm.getAnnotations())
            .withFinalizers(tm.getFinalizers()).withOwnerReferences(OwnerReferences.controllerRef(rs)).build())
        .withSpec(template.getSpec()).build();
    try {
      Pod created = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
      events.event(rs, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
    } catch (KubernetesClientException e) {
      events.event(rs, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
      throw e;
    }
  }

  /** @return the failure to report, or null (deleted, or already gone) */
  private KubernetesClientException deletePod(ObjectKey key, ReplicaSet rs, Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      events.event(rs, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
      return null;
    } catch (KubernetesClientException e) {
      expectations.deletionObserved(key, pod.getMetadata().getUid());
      if (e.getCode() == 404) {
        return null;
      }
      events.event(rs, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
      return e;
    }
  }

  /** Writes the status when it changed. */
  private ReplicaSet updateStatus(ReplicaSet rs, ReplicaSetStatus status) {
    return ReplicaSetStatuses.same(rs.getStatus(), status) ? rs : replicaSets.updateStatus(rs, status);
  }

  static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  private static long n(Integer v) {
    return v == null ? 0 : v;
  }
}
