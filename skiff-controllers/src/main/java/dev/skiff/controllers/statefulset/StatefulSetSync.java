package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.PodConditions;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.base.StatusWrite;
import dev.skiff.controllers.history.ControllerRevisions;
import dev.skiff.controllers.history.RevisionHistory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One sync of one StatefulSet (upstream's {@code defaultStatefulSetControl.UpdateStatefulSet}):
 * resolve the current and update revisions, claim pods, then in one pass create missing ordinals
 * (claims first), replace failed pods, delete condemned ordinals highest first, and roll pods
 * beyond the partition to the update revision highest first, one at a time. Under OrderedReady the
 * pass stops at the first pod that is missing, terminating or not Running+Ready; under Parallel it
 * goes on. The status is written once at the end. Names are fixed, so a stale cache costs a 409
 * or 404 that the next sync resolves; no expectations are needed.
 */
final class StatefulSetSync implements Reconciler {
  private final KubernetesClient client;
  private final SharedIndexInformer<StatefulSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final RevisionHistory history;
  private final VolumeClaims claims;
  private final ControllerRefClaim<Pod> podClaim;
  private final StatefulPodControl control;
  private final InstantSource clock;

  StatefulSetSync(KubernetesClient client, SharedIndexInformer<StatefulSet> sets, SharedIndexInformer<Pod> pods,
      RevisionHistory history, VolumeClaims claims, StatefulPodControl control, InstantSource clock) {
    this.client = client;
    this.sets = sets;
    this.pods = pods;
    this.history = history;
    this.claims = claims;
    this.podClaim = new ControllerRefClaim<>(client, Pod.class);
    this.control = control;
    this.clock = clock;
  }

  /** What the pass did: the pods that exist now, and when to look again without an event. */
  private static final class Pass {
    final Pod[] replicas;
    final List<Pod> condemned;
    Duration requeue;

    Pass(Pod[] replicas, List<Pod> condemned) {
      this.replicas = replicas;
      this.condemned = condemned;
    }

    List<Pod> existing() {
      List<Pod> out = new ArrayList<>(condemned);
      for (Pod p : replicas) {
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }
  }

  @Override
  public Result reconcile(ObjectKey key) throws Exception {
    StatefulSet set = sets.getIndexer().getByKey(key.cacheKey());
    if (set == null || set.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    var selector = set.getSpec().getSelector();
    var canAdopt = ControllerRefClaim.ownerStillActive(client, StatefulSet.class, set);
    List<ControllerRevision> revisions = history.list(set, selector, canAdopt);
    Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    RevisionHistory.Resolved resolved = history.resolve(set, revisions, set.getSpec().getTemplate(), collisions);
    ControllerRevision update = resolved.update();
    String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
    ControllerRevision current = resolved.revisions().stream()
        .filter(r -> r.getMetadata().getName().equals(currentName)).findFirst().orElse(update);

    List<Pod> candidates = pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace());
    List<Pod> owned = podClaim.claim(set, selector, candidates, canAdopt);
    Pass pass = split(set, owned);
    run(set, pass, current, update);

    Instant now = clock.instant();
    StatefulSetStatus status = StatefulSetStatuses.calculate(set, pass.existing(), current.getMetadata().getName(),
        update.getMetadata().getName(), resolved.collisionCount(), now);
    updateStatus(set, status);

    Set<String> live = new HashSet<>();
    pass.existing().forEach(p -> live.add(StatefulIdentity.revisionOf(p)));
    live.add(status.getCurrentRevision());
    live.add(status.getUpdateRevision());
    history.truncate(resolved.revisions(), live, set.getSpec().getRevisionHistoryLimit());
    return pass.requeue == null ? Result.done() : Result.requeueAfter(pass.requeue);
  }

  /** Members into ordinals inside {@code [start, start+replicas)} and condemned ones, highest ordinal first. */
  private static Pass split(StatefulSet set, List<Pod> owned) {
    int start = StatefulIdentity.startOrdinal(set);
    int count = replicas(set);
    Pod[] replicas = new Pod[count];
    List<Pod> condemned = new ArrayList<>();
    for (Pod p : owned) {
      OptionalInt ord = StatefulIdentity.ordinalOf(set, p);
      if (ord.isEmpty()) {
        continue;
      }
      int i = ord.getAsInt() - start;
      if (i >= 0 && i < count) {
        replicas[i] = p;
      } else {
        condemned.add(p);
      }
    }
    condemned.sort(Comparator.comparingInt((Pod p) -> StatefulIdentity.ordinalOf(set, p).orElse(0)).reversed());
    return new Pass(replicas, condemned);
  }

  private void run(StatefulSet set, Pass pass, ControllerRevision current, ControllerRevision update) {
    boolean monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    int start = StatefulIdentity.startOrdinal(set);
    int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    Instant now = clock.instant();
    Pod[] replicas = pass.replicas;
    for (int i = 0; i < replicas.length; i++) {
      Pod pod = replicas[i];
      int ordinal = start + i;
      if (pod != null && isFinished(pod)) {
        // upstream replaces a Failed or Succeeded pod: delete now, the next sync re-creates it
        control.recreateFailed(set, pod);
        replicas[i] = null;
        if (monotonic) {
          return;
        }
        continue;
      }
      if (pod == null) {
        claims.ensure(set, ordinal);
        replicas[i] = createPod(set, ordinal, current, update);
        if (monotonic) {
          return;
        }
        continue;
      }
      claims.matchSetOwnership(set, ordinal);
      if (pod.getMetadata().getDeletionTimestamp() != null || !StatefulSetStatuses.isRunningAndReady(pod)) {
        if (monotonic) {
          return; // OrderedReady: the next ordinal waits for this one
        }
        continue;
      }
      if (monotonic && !PodConditions.isAvailable(pod, minReady, now)) {
        pass.requeue = Duration.ofSeconds(minReady); // availability comes by the passing of time
        return;
      }
    }
    // scale down, highest ordinal first; under OrderedReady only while every other pod is healthy
    Optional<Pod> firstUnhealthy = firstUnhealthy(pass, minReady, now);
    for (Pod pod : List.copyOf(pass.condemned)) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (monotonic) {
          return;
        }
        continue;
      }
      if (monotonic && firstUnhealthy.isPresent() && firstUnhealthy.get() != pod) {
        return;
      }
      claims.condemn(set, pod, StatefulIdentity.ordinalOf(set, pod).orElseThrow());
      control.delete(set, pod);
      pass.condemned.remove(pod);
      if (monotonic) {
        return;
      }
    }
    rollingUpdate(set, pass, update, minReady, now);
  }

  /** RollingUpdate: the highest ordinal at or above the partition not at the update revision is deleted (re-created next sync). */
  private void rollingUpdate(StatefulSet set, Pass pass, ControllerRevision update, int minReady, Instant now) {
    var strategy = set.getSpec().getUpdateStrategy();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      return;
    }
    int partition = partition(set);
    Pod[] replicas = pass.replicas;
    for (int target = replicas.length - 1; target >= Math.min(partition, replicas.length); target--) {
      Pod pod = replicas[target];
      if (pod == null) {
        return;
      }
      if (!StatefulIdentity.revisionOf(pod).equals(update.getMetadata().getName())
          && pod.getMetadata().getDeletionTimestamp() == null) {
        control.delete(set, pod);
        replicas[target] = null;
        return;
      }
      if (!StatefulSetStatuses.isRunningAndReady(pod) || !PodConditions.isAvailable(pod, minReady, now)) {
        return; // one at a time: wait for the replaced pod to be healthy
      }
    }
  }

  private static Optional<Pod> firstUnhealthy(Pass pass, int minReady, Instant now) {
    for (Pod p : pass.replicas) {
      if (p != null && !healthy(p, minReady, now)) {
        return Optional.of(p);
      }
    }
    for (int i = pass.condemned.size() - 1; i >= 0; i--) {
      if (!healthy(pass.condemned.get(i), minReady, now)) {
        return Optional.of(pass.condemned.get(i));
      }
    }
    return Optional.empty();
  }

  private static boolean healthy(Pod p, int minReady, Instant now) {
    return p.getMetadata().getDeletionTimestamp() == null && StatefulSetStatuses.isRunningAndReady(p)
        && PodConditions.isAvailable(p, minReady, now);
  }

  /**
   * Upstream's {@code newVersionedStatefulSetPod}: ordinals below the partition keep the current
   * revision's template during a RollingUpdate; every other pod is made from the update revision.
   */
  private Pod createPod(StatefulSet set, int ordinal, ControllerRevision current, ControllerRevision update) {
    var strategy = set.getSpec().getUpdateStrategy();
    boolean rolling = strategy == null || !"OnDelete".equals(strategy.getType());
    ControllerRevision revision = rolling && ordinal < StatefulIdentity.startOrdinal(set) + partition(set) ? current : update;
    PodTemplateSpec template = revision == update ? set.getSpec().getTemplate() : ControllerRevisions.templateOf(revision);
    return control.create(set, StatefulIdentity.newPod(set, template, ordinal, revision.getMetadata().getName()));
  }

  /** Writes the status when it changed. */
  private void updateStatus(StatefulSet set, StatefulSetStatus status) {
    if (StatefulSetStatuses.same(set.getStatus(), status)) {
      return;
    }
    StatusWrite.write(client, StatefulSet.class, set, o -> new StatefulSetBuilder(o).withStatus(status).build());
  }

  private static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  static int replicas(StatefulSet set) {
    return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
  }

  private static int partition(StatefulSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    if (strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null) {
      return 0;
    }
    return strategy.getRollingUpdate().getPartition();
  }
}
