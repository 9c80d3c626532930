package dev.skiff.controllers.disruption;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.PodConditions;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.Selectors;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The disruption controller ({@code pkg/controller/disruption}): keeps each PodDisruptionBudget's
 * status, which the eviction subresource spends: expectedPods, desiredHealthy, currentHealthy,
 * disruptionsAllowed, the DisruptionAllowed condition, and disruptedPods (evictions the API
 * admitted, forgotten once the pod is gone or after two minutes). A budget of an integer
 * minAvailable expects the pods it selects; one of maxUnavailable or a percentage expects the
 * replicas of the pods' controllers (ReplicaSet, Deployment, StatefulSet, ReplicationController).
 * Re-synced when a budget or one of its pods changes.
 */
public final class DisruptionController implements Controller, Reconciler {
  public static final String NAME = "disruption-controller";
  /** How long an eviction counts against a budget before the pod is seen going (upstream's DeletionTimeout). */
  static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final SharedIndexInformer<PodDisruptionBudget> budgets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<StatefulSet> statefulSets;
  private final SharedIndexInformer<ReplicationController> replicationControllers;
  private final InstantSource clock;
  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public DisruptionController(ControllerContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    this.client = ctx.client();
    this.clock = ctx.clock();
    this.workers = ctx.config().workers();
    this.budgets = ctx.informers().informer(PodDisruptionBudget.class);
    this.pods = ctx.informers().informer(Pod.class);
    this.replicaSets = ctx.informers().informer(ReplicaSet.class);
    this.deployments = ctx.informers().informer(Deployment.class);
    this.statefulSets = ctx.informers().informer(StatefulSet.class);
    this.replicationControllers = ctx.informers().informer(ReplicationController.class);
    this.loop = ControllerLoop.of(NAME, this, clock);
    budgets.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        enqueueBudgetsOf(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        enqueueBudgetsOf(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        enqueueBudgetsOf(pod);
      }
    });
  }

  /** Queues the budgets of the pod's namespace that select it: few per namespace, so a scan is cheap. */
  private void enqueueBudgetsOf(Pod pod) {
    for (PodDisruptionBudget b : budgets.getIndexer().byIndex(SharedInformers.BY_NAMESPACE,
        pod.getMetadata().getNamespace())) {
      if (Selectors.matches(b.getSpec().getSelector(), pod.getMetadata().getLabels())) {
        loop.enqueue(ObjectKey.of(b));
      }
    }
  }

  @Override
  public Result reconcile(ObjectKey key) {
    PodDisruptionBudget budget = budgets.getIndexer().getByKey(key.cacheKey());
    if (budget == null || budget.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    List<Pod> selected = new ArrayList<>();
    for (Pod p : pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace())) {
      if (Selectors.matches(budget.getSpec().getSelector(), p.getMetadata().getLabels())) {
        selected.add(p);
      }
    }
    Instant now = clock.instant();
    Map<String, String> disrupted = stillDisrupted(budget, selected, now);
    Optional<Budget> counts = Budget.of(budget.getSpec(), selected, this::controllerScale);
    PodDisruptionBudgetStatus status;
    if (counts.isEmpty()) {
      // a pod without a controller whose scale could be read: upstream reports the failure and allows nothing
      status = status(budget, 0, 0, 0, 0, disrupted, "SyncFailed",
          "found no controllers for a pod selected by this budget", now);
    } else {
      int healthy = (int) selected.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
          && !disrupted.containsKey(p.getMetadata().getName()) && PodConditions.isReady(p)).count();
      int allowed = counts.get().expected() <= 0 ? 0 : Math.max(0, healthy - counts.get().desiredHealthy());
      status = status(budget, counts.get().expected(), counts.get().desiredHealthy(), healthy, allowed, disrupted,
          allowed > 0 ? "SufficientPods" : "InsufficientPods", "", now);
    }
    if (!sameStatus(budget.getStatus(), status)) {
      PodDisruptionBudget copy = new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder(budget)
          .withStatus(status).build();
      // a conflict (an eviction spent the budget meanwhile) is retried from the cache, recomputed
      client.policy().v1().podDisruptionBudget().inNamespace(key.namespace()).resource(copy).updateStatus();
    }
    return disrupted.isEmpty() ? Result.done() : Result.requeueAfter(Duration.ofSeconds(15));
  }

  /** disruptedPods entries whose pod still exists, is not yet deleting, and were admitted under 2 minutes ago. */
  private static Map<String, String> stillDisrupted(PodDisruptionBudget budget, List<Pod> selected, Instant now) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> recorded = budget.getStatus() == null || budget.getStatus().getDisruptedPods() == null
        ? Map.of() : budget.getStatus().getDisruptedPods();
    recorded.forEach((pod, when) -> {
      boolean live = selected.stream().anyMatch(p -> p.getMetadata().getName().equals(pod)
          && p.getMetadata().getDeletionTimestamp() == null);
      if (live && Instant.parse(when).plus(DELETION_TIMEOUT).isAfter(now)) {
        out.put(pod, when);
      }
    });
    return out;
  }

  /** The replicas the controller of {@code pod} wants, if it has a controller whose scale is known. */
  private Optional<Integer> controllerScale(Pod pod) {
    var owner = pod.getMetadata().getOwnerReferences() == null ? null : pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
    if (owner == null) {
      return Optional.empty();
    }
    String ns = pod.getMetadata().getNamespace();
    String cacheKey = ns + "/" + owner.getName();
    return switch (owner.getKind()) {
      case "ReplicaSet" -> Optional.ofNullable(replicaSets.getIndexer().getByKey(cacheKey)).map(rs -> {
        var rsOwner = rs.getMetadata().getOwnerReferences() == null ? null : rs.getMetadata().getOwnerReferences()
            .stream().filter(o -> Boolean.TRUE.equals(o.getController()) && o.getKind().equals("Deployment"))
            .findFirst().orElse(null);
        Deployment d = rsOwner == null ? null : deployments.getIndexer().getByKey(ns + "/" + rsOwner.getName());
        return d != null ? replicas(d.getSpec().getReplicas()) : replicas(rs.getSpec().getReplicas());
      });
      case "StatefulSet" -> Optional.ofNullable(statefulSets.getIndexer().getByKey(cacheKey))
          .map(s -> replicas(s.getSpec().getReplicas()));
      case "ReplicationController" -> Optional.ofNullable(replicationControllers.getIndexer().getByKey(cacheKey))
          .map(rc -> replicas(rc.getSpec().getReplicas()));
      default -> Optional.empty();
    };
  }

  private static int replicas(Integer r) {
    return r == null ? 1 : r;
  }

  private PodDisruptionBudgetStatus status(PodDisruptionBudget budget, int expected, int desired, int healthy,
      int allowed, Map<String, String> disrupted, String reason, String message, Instant now) {
    String conditionStatus = allowed > 0 ? "True" : "False";
    Condition old = budget.getStatus() == null || budget.getStatus().getConditions() == null ? null
        : budget.getStatus().getConditions().stream().filter(c -> "DisruptionAllowed".equals(c.getType()))
            .findFirst().orElse(null);
    String since = old != null && conditionStatus.equals(old.getStatus()) && old.getLastTransitionTime() != null
        ? old.getLastTransitionTime() : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    Condition condition = new ConditionBuilder().withType("DisruptionAllowed").withStatus(conditionStatus)
        .withReason(reason).withMessage(message).withLastTransitionTime(since)
        .withObservedGeneration(budget.getMetadata().getGeneration()).build();
    return new PodDisruptionBudgetStatusBuilder().withObservedGeneration(budget.getMetadata().getGeneration())
        .withExpectedPods(expected).withDesiredHealthy(desired).withCurrentHealthy(healthy)
        .withDisruptionsAllowed(allowed).withDisruptedPods(disrupted.isEmpty() ? null : disrupted)
        .withConditions(condition).build();
  }

  private static boolean sameStatus(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
    if (a == null) {
      return false;
    }
    Map<String, String> da = a.getDisruptedPods() == null ? Map.of() : a.getDisruptedPods();
    Map<String, String> db = b.getDisruptedPods() == null ? Map.of() : b.getDisruptedPods();
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getExpectedPods(), b.getExpectedPods())
        && Objects.equals(a.getDesiredHealthy(), b.getDesiredHealthy())
        && Objects.equals(a.getCurrentHealthy(), b.getCurrentHealthy())
        && Objects.equals(a.getDisruptionsAllowed(), b.getDisruptionsAllowed()) && da.equals(db)
        && a.getConditions() != null && a.getConditions().size() == 1
        && Objects.equals(a.getConditions().getFirst().getStatus(), b.getConditions().getFirst().getStatus())
        && Objects.equals(a.getConditions().getFirst().getReason(), b.getConditions().getFirst().getReason());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    loop.start(workers);
  }

  @Override
  public void close() {
    loop.close();
  }
}
