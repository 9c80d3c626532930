package dev.skiff.controllers.daemon;

import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.base.StatusWrite;
import dev.skiff.controllers.history.ControllerRevisions;
import dev.skiff.controllers.history.RevisionHistory;
import dev.skiff.controllers.replicaset.SlowStartBatch;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One sync of one DaemonSet (upstream's {@code syncDaemonSet}): resolve the revision of the current
 * template, claim pods and group them by the node each is pinned to, then either manage (create a
 * pod on each eligible node without one, delete pods on nodes that may not keep them, failed pods
 * and extras) or, once nothing is left to manage and expectations are met, take one RollingUpdate
 * step. Trims the history and writes the status once at the end.
 */
final class DaemonSetSync implements Reconciler {
  /** Upstream's {@code BurstReplicas}. */
  static final int BURST = 250;

  private final KubernetesClient client;
  private final SharedIndexInformer<DaemonSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final RevisionHistory history;
  private final Expectations expectations;
  private final ControllerRefClaim<Pod> claim;
  private final EventRecorder events;
  private final InstantSource clock;

  DaemonSetSync(KubernetesClient client, SharedIndexInformer<DaemonSet> sets, SharedIndexInformer<Pod> pods,
      SharedIndexInformer<Node> nodes, RevisionHistory history, Expectations expectations, EventRecorder events,
      InstantSource clock) {
    this.client = client;
    this.sets = sets;
    this.pods = pods;
    this.nodes = nodes;
    this.history = history;
    this.expectations = expectations;
    this.claim = new ControllerRefClaim<>(client, Pod.class);
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Result reconcile(ObjectKey key) throws Exception {
    DaemonSet ds = sets.getIndexer().getByKey(key.cacheKey());
    if (ds == null) {
      expectations.delete(key);
      return Result.done();
    }
    if (ds.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    var selector = ds.getSpec().getSelector();
    var canAdopt = ControllerRefClaim.ownerStillActive(client, DaemonSet.class, ds);
    List<ControllerRevision> revisions = history.list(ds, selector, canAdopt);
    Integer collisions = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
    RevisionHistory.Resolved resolved = history.resolve(ds, revisions, ds.getSpec().getTemplate(), collisions);
    String hash = ControllerRevisions.hashOf(resolved.update());
    List<Node> nodeList = List.copyOf(nodes.getIndexer().list());
    List<Pod> owned = claim.claim(ds, selector, pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace()),
        canAdopt);
    SortedMap<String, List<Pod>> nodeToPods = byNode(owned);
    Instant now = clock.instant();

    if (expectations.satisfied(key)) {
      DaemonRollingUpdate.Plan plan = manage(ds, nodeList, nodeToPods, owned);
      boolean rolling = ds.getSpec().getUpdateStrategy() == null
          || !"OnDelete".equals(ds.getSpec().getUpdateStrategy().getType());
      if (plan.delete().isEmpty() && plan.create().isEmpty() && rolling) {
        SortedMap<String, List<Pod>> wanting = new TreeMap<>(nodeToPods);
        int desired = 0;
        for (Node node : nodeList) {
          if (NodeEligibility.of(node, ds).shouldRun()) {
            desired++;
            wanting.putIfAbsent(node.getMetadata().getName(), List.of());
          }
        }
        plan = DaemonRollingUpdate.plan(ds, wanting, DaemonRollingUpdate.budget(ds, desired), hash, now);
      }
      syncNodes(key, ds, plan, hash);
    }

    Set<String> liveHashes = new HashSet<>();
    owned.forEach(p -> liveHashes.add(ControllerRevisions.hashOf(p)));
    Set<String> live = new HashSet<>(Set.of(resolved.update().getMetadata().getName()));
    resolved.revisions().stream().filter(r -> liveHashes.contains(ControllerRevisions.hashOf(r)))
        .forEach(r -> live.add(r.getMetadata().getName()));
    history.truncate(resolved.revisions(), live, ds.getSpec().getRevisionHistoryLimit());

    DaemonSetStatus status = DaemonSetStatuses.calculate(ds, nodeList, nodeToPods, hash, resolved.collisionCount(), now);
    updateStatus(ds, status);
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    if (minReady > 0 && !Objects.equals(status.getNumberReady(), status.getNumberAvailable())) {
      return Result.requeueAfter(Duration.ofSeconds(minReady)); // availability comes by the passing of time
    }
    return Result.done();
  }

  private static SortedMap<String, List<Pod>> byNode(List<Pod> owned) {
    SortedMap<String, List<Pod>> out = new TreeMap<>();
    for (Pod p : owned) {
      DaemonPods.targetNode(p).ifPresent(n -> out.computeIfAbsent(n, k -> new ArrayList<>()).add(p));
    }
    return out;
  }

  /** Upstream's {@code manage} and {@code podsShouldBeOnNode}, without surge's two-pods-per-node case handled in the plan. */
  private DaemonRollingUpdate.Plan manage(DaemonSet ds, List<Node> nodeList, SortedMap<String, List<Pod>> nodeToPods,
      List<Pod> owned) {
    boolean surge = DaemonRollingUpdate.budget(ds, nodeList.size()).maxSurge() > 0;
    List<String> create = new ArrayList<>();
    List<Pod> delete = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (Node node : nodeList) {
      String name = node.getMetadata().getName();
      known.add(name);
      NodeEligibility eligibility = NodeEligibility.of(node, ds);
      List<Pod> onNode = nodeToPods.get(name);
      if (eligibility.shouldRun() && onNode == null) {
        create.add(name);
      } else if (eligibility.shouldContinueRunning() && onNode != null) {
        List<Pod> running = new ArrayList<>();
        for (Pod p : onNode) {
          if (p.getMetadata().getDeletionTimestamp() != null) {
            continue;
          }
          String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
          if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            delete.add(p);
          } else {
            running.add(p);
          }
        }
        running.sort(DaemonSetStatuses.OLDEST_FIRST);
        if (running.isEmpty() && eligibility.shouldRun() && !delete.isEmpty()) {
          continue; // the failed pod goes first; the next sync creates its replacement
        }
        if (!surge && running.size() > 1) {
          delete.addAll(running.subList(1, running.size())); // keep the oldest
        } else if (surge && running.size() > 2) {
          delete.addAll(running.subList(2, running.size()));
        }
      } else if (!eligibility.shouldContinueRunning() && onNode != null) {
        onNode.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).forEach(delete::add);
      }
    }
    // pods pinned to nodes that no longer exist and never bound: nothing will ever run them
    for (Pod p : owned) {
      String target = DaemonPods.targetNode(p).orElse(null);
      if (target != null && !known.contains(target) && (p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
          && p.getMetadata().getDeletionTimestamp() == null) {
        delete.add(p);
      }
    }
    return new DaemonRollingUpdate.Plan(delete, create);
  }

  /** Upstream's {@code syncNodes}: expectations first, then slow-start creates and deletes. */
  private void syncNodes(ObjectKey key, DaemonSet ds, DaemonRollingUpdate.Plan plan, String hash) throws Exception {
    List<String> create = plan.create().subList(0, Math.min(plan.create().size(), BURST));
    List<Pod> delete = plan.delete().subList(0, Math.min(plan.delete().size(), BURST));
    if (create.isEmpty() && delete.isEmpty()) {
      return;
    }
    expectations.expect(key, create.size(), delete.stream().map(p -> p.getMetadata().getUid()).toList());
    ConcurrentLinkedQueue<String> todo = new ConcurrentLinkedQueue<>(create);
    SlowStartBatch.Outcome outcome = SlowStartBatch.run(create.size(), 1, () -> createPod(ds, todo.remove(), hash));
    for (int i = outcome.successes(); i < create.size(); i++) {
      expectations.creationObserved(key); // a create that failed or never ran will never be observed
    }
    KubernetesClientException first = null;
    for (Pod victim : delete) {
      try {
        client.pods().inNamespace(victim.getMetadata().getNamespace()).withName(victim.getMetadata().getName()).delete();
        events.event(ds, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + victim.getMetadata().getName());
      } catch (KubernetesClientException e) {
        expectations.deletionObserved(key, victim.getMetadata().getUid());
        if (e.getCode() != 404) {
          events.event(ds, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
          first = first == null ? e : first;
        }
      }
    }
    if (outcome.firstError() != null) {
      throw outcome.firstError();
    }
    if (first != null) {
      throw first;
    }
  }

  private void createPod(DaemonSet ds, String node, String hash) {
    Pod pod = DaemonPods.newPod(ds, node, hash);
    try {
      Pod created = client.pods().inNamespace(ds.getMetadata().getNamespace()).resource(pod).create();
      events.event(ds, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
    } catch (KubernetesClientException e) {
      events.event(ds, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
      throw e;
    }
  }

  /** Writes the status when it changed. */
  private void updateStatus(DaemonSet ds, DaemonSetStatus status) {
    if (DaemonSetStatuses.same(ds.getStatus(), status)) {
      return;
    }
    StatusWrite.write(client, DaemonSet.class, ds, o -> new DaemonSetBuilder(o).withStatus(status).build());
  }
}
