package dev.skiff.controllers.resourcequota;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.quota.ObjectUsage;
import dev.skiff.quota.ResourceUsage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's resourcequota controller: keeps each ResourceQuota's {@code status.hard} a copy of
 * {@code spec.hard} and {@code status.used} the namespace's real usage of those names, computed
 * with the same arithmetic ({@code skiff-quota}) as the API server's quota admission. The queue
 * holds namespaces ({@code ObjectKey("", namespace)}): any change of a counted object, or of a
 * quota, recalculates every quota of its namespace; a namespace is also recalculated every
 * {@link #RESYNC} (upstream's full resync), which repairs charges that admission made for creates
 * that then failed.
 */
public final class ResourceQuotaController implements Controller, Reconciler {
  public static final String NAME = "resourcequota-controller";
  static final Duration RESYNC = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(ResourceQuotaController.class);

  private final KubernetesClient client;
  private final InstantSource clock;
  private final int workers;
  private final SharedIndexInformer<ResourceQuota> quotas;
  private final Map<TrackedKind, SharedIndexInformer<? extends HasMetadata>> counted = new LinkedHashMap<>();
  private final ControllerLoop<ObjectKey> loop;

  public ResourceQuotaController(ControllerContext ctx) {
    this.client = ctx.client();
    this.clock = ctx.clock();
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.quotas = ctx.informers().informer(ResourceQuota.class);
    for (TrackedKind kind : TrackedKind.ALL) {
      SharedIndexInformer<? extends HasMetadata> informer = ctx.informers().informer(kind.type());
      counted.put(kind, informer);
      informer.addEventHandler(new EnqueueNamespace<>());
    }
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
  public Result reconcile(ObjectKey key) {
    String namespace = key.name();
    List<ResourceQuota> inNamespace = quotas.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, namespace);
    for (ResourceQuota quota : inNamespace) {
      sync(quota);
    }
    return inNamespace.isEmpty() ? Result.done() : Result.requeueAfter(RESYNC);
  }

  private void sync(ResourceQuota quota) {
    String namespace = quota.getMetadata().getNamespace();
    ResourceUsage hard = ResourceUsage.fromQuantities(quota.getSpec() == null ? null : quota.getSpec().getHard());
    ResourceUsage used = ResourceUsage.EMPTY;
    for (Map.Entry<TrackedKind, SharedIndexInformer<? extends HasMetadata>> e : counted.entrySet()) {
      TrackedKind kind = e.getKey();
      for (HasMetadata obj : e.getValue().getIndexer().byIndex(SharedInformers.BY_NAMESPACE, namespace)) {
        if (ObjectUsage.covers(quota.getSpec(), obj)) {
          used = used.plus(ObjectUsage.of(kind.group(), kind.resource(), obj, clock.instant()).mask(hard.names()));
        }
      }
    }
    used = used.withZeros(hard.names());
    ResourceQuotaStatus old = quota.getStatus();
    if (old != null && hard.equals(ResourceUsage.fromQuantities(old.getHard()))
        && used.equals(ResourceUsage.fromQuantities(old.getUsed()))) {
      return;
    }
    ResourceQuota copy = new ResourceQuotaBuilder(quota)
        .withStatus(new ResourceQuotaStatus(hard.toQuantities(), used.toQuantities())).build();
    try {
      client.resourceQuotas().inNamespace(namespace).resource(copy).updateStatus();
      LOG.debug("quota {}/{} used {}", namespace, quota.getMetadata().getName(), used);
    } catch (KubernetesClientException ex) {
      if (ex.getCode() != 404) {
        // 409: admission charged the quota meanwhile; the informer's update requeues the namespace
        throw ex;
      }
    }
  }

  @Override
  public void close() {
    loop.close();
  }

  /**
   * Queues a namespace when its quotas need recounting, as upstream's replenishment does: a quota
   * added or with a changed spec; an object deleted, or changed so that its charge changed (a pod
   * that finished). Adds of counted objects queue nothing: admission charged them already, and
   * a recount from an informer cache that has not yet seen them would undo that charge.
   */
  private final class EnqueueNamespace<T extends HasMetadata> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      if (obj instanceof ResourceQuota) {
        enqueue(obj);
      }
    }

    @Override
    public void onUpdate(T old, T obj) {
      if (old instanceof ResourceQuota o && obj instanceof ResourceQuota q) {
        if (!Objects.equals(o.getSpec(), q.getSpec()) || q.getStatus() == null
            || !Objects.equals(q.getSpec().getHard(), q.getStatus().getHard())) {
          enqueue(obj);
        }
        return;
      }
      if (!charge(old).equals(charge(obj))) {
        enqueue(obj);
      }
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      if (!(obj instanceof ResourceQuota)) {
        enqueue(obj);
      }
    }

    private ResourceUsage charge(T obj) {
      // the group and resource only name object counts, which an update never changes
      return ObjectUsage.of("", "", obj, clock.instant());
    }

    private void enqueue(T obj) {
      String namespace = obj.getMetadata().getNamespace();
      if (namespace != null && (obj instanceof ResourceQuota
          || !quotas.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, namespace).isEmpty())) {
        loop.enqueue(new ObjectKey("", namespace));
      }
    }
  }
}
