package dev.skiff.controllers.endpointslice;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EnqueueRelatedKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.endpoint.EndpointPods;
import dev.skiff.controllers.endpoint.EndpointsController;
import dev.skiff.controllers.endpoint.ServicePodIndex;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's endpointslice controller: for each Service with a selector, EndpointSlices labelled
 * {@code kubernetes.io/service-name} and {@code endpointslice.kubernetes.io/managed-by}, owned by
 * the Service, with at most {@link #MAX_ENDPOINTS_PER_SLICE} endpoints each
 * ({@link DesiredEndpoints}, {@link SlicePlan}). A Service that selects no pod keeps one empty
 * slice, as upstream. Services without a selector are left alone; a deleted Service's slices are
 * deleted (the garbage collector would too, through the owner reference).
 */
public final class EndpointSliceController implements Controller, Reconciler {
  public static final String NAME = "endpointslice-controller";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
  /** Upstream's default {@code --max-endpoints-per-slice}. */
  public static final int MAX_ENDPOINTS_PER_SLICE = 100;
  private static final String SLICES_BY_SERVICE = "skiff/managed-slices-by-service";

  private final SliceWriter writer;
  private final int workers;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final ServicePodIndex index;
  private final ControllerLoop<ObjectKey> loop;

  public EndpointSliceController(ControllerContext ctx) {
    this.writer = new SliceWriter(ctx.client());
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.services = ctx.informers().informer(Service.class);
    SharedIndexInformer<Pod> pods = ctx.informers().informer(Pod.class);
    this.slices = ctx.informers().informer(EndpointSlice.class);
    this.index = new ServicePodIndex(services, pods);
    slices.addIndexers(Map.of(SLICES_BY_SERVICE, s -> serviceKey(s).map(k -> List.of(k.cacheKey())).orElse(List.of())));
    services.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    pods.addEventHandler(index.enqueueServices(loop::enqueue));
    slices.addEventHandler(EnqueueRelatedKey.onAnyEvent(EndpointSliceController::serviceKey, loop::enqueue));
  }

  /** The Service a slice of this controller belongs to. */
  private static Optional<ObjectKey> serviceKey(EndpointSlice s) {
    Map<String, String> labels = s.getMetadata().getLabels();
    if (labels == null || !MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) || labels.get(SERVICE_NAME_LABEL) == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new ObjectKey(s.getMetadata().getNamespace(), labels.get(SERVICE_NAME_LABEL)));
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
    Service svc = services.getStore().getByKey(key.cacheKey());
    List<EndpointSlice> existing = slices.getIndexer().byIndex(SLICES_BY_SERVICE, key.cacheKey());
    if (svc == null) {
      existing.forEach(writer::delete);
      return Result.done();
    }
    if (ServicePodIndex.selector(svc).isEmpty()) {
      return Result.done();
    }
    Map<SliceShape, List<Endpoint>> desired = new LinkedHashMap<>(DesiredEndpoints.of(svc, index.podsOf(svc)));
    if (desired.isEmpty()) {
      desired.put(new SliceShape("IPv4", List.of()), List.of());
    }
    Map<String, String> labels = new HashMap<>(svc.getMetadata().getLabels() == null ? Map.of() : svc.getMetadata().getLabels());
    labels.put(SERVICE_NAME_LABEL, key.name());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    if (EndpointPods.headless(svc)) {
      labels.put(EndpointsController.HEADLESS_LABEL, "");
    }
    EndpointSlice template = new EndpointSliceBuilder().withNewMetadata().withGenerateName(key.name() + "-")
        .withNamespace(key.namespace()).withLabels(labels).withOwnerReferences(OwnerReferences.controllerRef(svc))
        .endMetadata().build();
    SlicePlan plan = SlicePlan.of(desired, existing, template, MAX_ENDPOINTS_PER_SLICE);
    writer.write(key.namespace(), plan, true);
    return Result.done();
  }

  @Override
  public void close() {
    loop.close();
  }
}
