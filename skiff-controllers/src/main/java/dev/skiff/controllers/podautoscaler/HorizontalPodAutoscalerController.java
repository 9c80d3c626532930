package dev.skiff.controllers.podautoscaler;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Scalable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's horizontal pod autoscaler controller ({@code pkg/controller/podautoscaler}) for
 * autoscaling/v2: every {@link #SYNC_PERIOD} it reads the target's scale subresource, scales a
 * target outside [minReplicas, maxReplicas] into range, and otherwise asks the {@link MetricsSource}
 * for resource utilization and scales to {@link ReplicaCalculator}'s count, held up on the way down
 * by {@link ScaleDownStabilization}. Its status carries upstream's conditions (AbleToScale,
 * ScalingActive, ScalingLimited) and replica counts; with no metrics API, ScalingActive is False
 * with FailedGetResourceMetric. Warning events are sent when a condition's reason changes, not on
 * every sync. Targets: Deployments, ReplicaSets, StatefulSets and ReplicationControllers.
 */
public final class HorizontalPodAutoscalerController implements Controller, Reconciler {
  public static final String NAME = "horizontal-pod-autoscaler-controller";
  /** Upstream's {@code --horizontal-pod-autoscaler-sync-period}. */
  static final Duration SYNC_PERIOD = Duration.ofSeconds(15);
  private static final Logger LOG = LoggerFactory.getLogger(HorizontalPodAutoscalerController.class);

  private final KubernetesClient client;
  private final InstantSource clock;
  private final int workers;
  private final MetricsSource metrics;
  private final EventRecorder events;
  private final SharedIndexInformer<HorizontalPodAutoscaler> hpas;
  private final ScaleDownStabilization stabilization = new ScaleDownStabilization();
  private final ControllerLoop<ObjectKey> loop;

  /** With no metrics API ({@link MetricsSource#NONE}), as Skiff serves today. */
  public HorizontalPodAutoscalerController(ControllerContext ctx) {
    this(ctx, MetricsSource.NONE);
  }

  public HorizontalPodAutoscalerController(ControllerContext ctx, MetricsSource metrics) {
    this.client = ctx.client();
    this.clock = ctx.clock();
    this.workers = ctx.config().workers();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.events = ctx.recorder(NAME);
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.hpas = ctx.informers().informer(HorizontalPodAutoscaler.class);
    hpas.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    loop.start(workers);
  }

  /** What the metrics say: a replica count and the metric statuses, or why there is none. */
  private sealed interface Recommendation {}

  private record Computed(int replicas, String metricName, List<MetricStatus> current) implements Recommendation {}

  private record Failed(String reason, String message) implements Recommendation {}

  @Override
  public Result reconcile(ObjectKey key) {
    HorizontalPodAutoscaler hpa = hpas.getStore().getByKey(key.namespace() + "/" + key.name());
    if (hpa == null) {
      stabilization.forget(key.toString());
      return Result.done();
    }
    Instant now = clock.instant();
    HorizontalPodAutoscalerStatus old = hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus() : hpa.getStatus();
    HpaConditions conditions = new HpaConditions(old.getConditions(), now);
    CrossVersionObjectReference ref = hpa.getSpec().getScaleTargetRef();
    Scalable<?> target = ScaleTargets.of(client, key.namespace(), ref);
    Scale scale;
    try {
      scale = target == null ? null : target.scale();
      if (scale == null) {
        throw new KubernetesClientException("%s %s not found or has no scale subresource".formatted(ref.getKind(), ref.getName()));
      }
    } catch (KubernetesClientException e) {
      conditions.set("AbleToScale", "False", "FailedGetScale",
          "the HPA controller was unable to get the target's current scale: " + e.getMessage());
      warnOnChange(hpa, conditions, "AbleToScale", "FailedGetScale", e.getMessage());
      writeStatus(hpa, old, conditions, old.getCurrentReplicas(), old.getDesiredReplicas(), old.getCurrentMetrics(),
          old.getLastScaleTime());
      return Result.requeueAfter(SYNC_PERIOD);
    }
    conditions.set("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale");
    int current = scale.getSpec() == null || scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
    int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
    int max = hpa.getSpec().getMaxReplicas();
    Integer desired = old.getDesiredReplicas();
    List<MetricStatus> currentMetrics = old.getCurrentMetrics();
    String rescaleReason = null;
    if (current == 0 && min != 0) {
      desired = 0;
      conditions.set("ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
    } else if (current > max) {
      desired = max;
      rescaleReason = "Current number of replicas above Spec.MaxReplicas";
    } else if (current < min) {
      desired = min;
      rescaleReason = "Current number of replicas below Spec.MinReplicas";
    } else {
      switch (fromMetrics(hpa, scale, current)) {
        case Failed f -> {
          conditions.set("ScalingActive", "False", f.reason(), "the HPA was unable to compute the replica count: " + f.message());
          if (conditions.changed("ScalingActive")) {
            events.event(hpa, EventRecorder.WARNING, f.reason(), f.message());
            events.event(hpa, EventRecorder.WARNING, "FailedComputeMetricsReplicas",
                "invalid metrics (1 invalid out of %d), first error is: %s".formatted(
                    Math.max(1, metricsOf(hpa).size()), f.message()));
          }
          writeStatus(hpa, old, conditions, current, desired, List.of(), old.getLastScaleTime());
          return Result.requeueAfter(SYNC_PERIOD);
        }
        case Computed c -> {
          conditions.set("ScalingActive", "True", "ValidMetricFound",
              "the HPA was able to successfully calculate a replica count from " + c.metricName());
          int stabilized = stabilization.stabilize(key.toString(), c.replicas(), now);
          desired = Math.clamp(stabilized, min, max);
          if (stabilized > max) {
            conditions.set("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count");
          } else if (stabilized < min) {
            conditions.set("ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count");
          } else {
            conditions.set("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range");
          }
          currentMetrics = c.current();
          rescaleReason = desired > current ? c.metricName() + " above target" : "All metrics below target";
        }
      }
    }
    String lastScaleTime = old.getLastScaleTime();
    if (desired != null && desired != current) {
      try {
        scale.getSpec().setReplicas(desired);
        target.scale(scale);
      } catch (KubernetesClientException e) {
        conditions.set("AbleToScale", "False", "FailedUpdateScale",
            "the HPA controller was unable to update the target scale: " + e.getMessage());
        events.event(hpa, EventRecorder.WARNING, "FailedRescale",
            "New size: %d; reason: %s; error: %s".formatted(desired, rescaleReason, e.getMessage()));
        writeStatus(hpa, old, conditions, current, old.getDesiredReplicas(), currentMetrics, lastScaleTime);
        throw e;
      }
      conditions.set("AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to " + desired);
      events.event(hpa, EventRecorder.NORMAL, "SuccessfulRescale", "New size: %d; reason: %s".formatted(desired, rescaleReason));
      LOG.info("hpa {} scaled {} {} from {} to {}: {}", key, ref.getKind(), ref.getName(), current, desired, rescaleReason);
      lastScaleTime = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    } else {
      conditions.set("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size");
    }
    writeStatus(hpa, old, conditions, current, desired, currentMetrics, lastScaleTime);
    return Result.requeueAfter(SYNC_PERIOD);
  }

  /** Upstream's computeReplicasForMetrics, for Resource metrics with a Utilization target. */
  private Recommendation fromMetrics(HorizontalPodAutoscaler hpa, Scale scale, int current) {
    String selector = scale.getStatus() == null ? null : scale.getStatus().getSelector();
    if (selector == null || selector.isEmpty()) {
      return new Failed("InvalidSelector", "selector is required");
    }
    Computed best = null;
    for (var m : metricsOf(hpa)) {
      if (!"Resource".equals(m.getType()) || m.getResource() == null
          || m.getResource().getTarget().getAverageUtilization() == null) {
        return new Failed("FailedGetResourceMetric", "metric type " + m.getType() + " without a utilization target is not supported yet");
      }
      String resource = m.getResource().getName();
      MetricsSource.Utilization u;
      try {
        u = metrics.utilization(hpa.getMetadata().getNamespace(), selector, resource);
      } catch (MetricsSource.MetricsUnavailableException e) {
        return new Failed("FailedGetResourceMetric", "failed to get %s resource metric value: failed to get %s utilization: %s"
            .formatted(resource, resource, e.getMessage()));
      }
      int replicas = ReplicaCalculator.desired(current, u.averagePercent(), m.getResource().getTarget().getAverageUtilization());
      MetricStatus status = new MetricStatusBuilder().withType("Resource")
          .withNewResource().withName(resource).withNewCurrent().withAverageUtilization((int) Math.round(u.averagePercent()))
          .endCurrent().endResource().build();
      List<MetricStatus> statuses = best == null ? List.of(status)
          : Stream.concat(best.current().stream(), Stream.of(status)).toList();
      String name = resource + " resource utilization (percentage of request)";
      best = best == null || replicas > best.replicas() ? new Computed(replicas, name, statuses)
          : new Computed(best.replicas(), best.metricName(), statuses);
    }
    return best == null ? new Failed("FailedGetResourceMetric", "no metrics to compute a replica count from") : best;
  }

  private static List<MetricSpec> metricsOf(HorizontalPodAutoscaler hpa) {
    return hpa.getSpec().getMetrics() == null ? List.of() : hpa.getSpec().getMetrics();
  }

  private void warnOnChange(HorizontalPodAutoscaler hpa, HpaConditions conditions, String type, String reason, String message) {
    if (conditions.changed(type)) {
      events.event(hpa, EventRecorder.WARNING, reason, message);
    }
  }

  private void writeStatus(HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerStatus old, HpaConditions conditions,
      Integer current, Integer desired, List<MetricStatus> currentMetrics, String lastScaleTime) {
    HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus(conditions.list(),
        currentMetrics == null || currentMetrics.isEmpty() ? null : currentMetrics, current == null ? 0 : current,
        desired == null ? 0 : desired, lastScaleTime, hpa.getMetadata().getGeneration());
    if (status.equals(old)) {
      return;
    }
    HorizontalPodAutoscaler copy = new HorizontalPodAutoscalerBuilder(hpa).withStatus(status).build();
    try {
      client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(hpa.getMetadata().getNamespace())
          .resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
