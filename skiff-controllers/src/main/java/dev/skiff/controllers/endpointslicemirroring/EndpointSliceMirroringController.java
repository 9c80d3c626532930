package dev.skiff.controllers.endpointslicemirroring;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueRelatedKey;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.endpointslice.EndpointSliceController;
import dev.skiff.controllers.endpointslice.SlicePlan;
import dev.skiff.controllers.endpointslice.SliceWriter;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's endpointslicemirroring controller: the Endpoints of a Service without a selector
 * (written by a user or another controller) are copied into EndpointSlices labelled
 * {@code kubernetes.io/service-name} and managed by {@value #MANAGED_BY}, owned by the Endpoints,
 * so that consumers of EndpointSlices (kube-proxy, DNS) see them too. Endpoints labelled
 * {@code endpointslice.kubernetes.io/skip-mirror: "true"} (the API server's own
 * {@code default/kubernetes}) or carrying a leader-election record are not mirrored; mirrored
 * slices go away with the Endpoints, the Service, or when the Service gains a selector.
 */
public final class EndpointSliceMirroringController implements Controller, Reconciler {
  public static final String NAME = "endpointslice-mirroring-controller";
  public static final String MANAGED_BY = "endpointslicemirroring-controller.k8s.io";
  static final String SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";
  static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
  /** Upstream's default {@code --mirroring-max-endpoints-per-subset}. */
  static final int MAX_ENDPOINTS_PER_SUBSET = 1000;
  /** Annotations of the Endpoints that are not copied (as upstream). */
  private static final List<String> NOT_COPIED = List.of("endpoints.kubernetes.io/last-change-trigger-time",
      "kubectl.kubernetes.io/last-applied-configuration");
  private static final String SLICES_BY_ENDPOINTS = "skiff/mirrored-slices-by-endpoints";

  private final SliceWriter writer;
  private final int workers;
  private final SharedIndexInformer<Endpoints> endpoints;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final EventRecorder events;
  private final ControllerLoop<ObjectKey> loop;

  public EndpointSliceMirroringController(ControllerContext ctx) {
    this.writer = new SliceWriter(ctx.client());
    this.workers = ctx.config().workers();
    this.events = new EventRecorder(ctx.client(), NAME, ctx.clock());
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.endpoints = ctx.informers().informer(Endpoints.class);
    this.services = ctx.informers().informer(Service.class);
    this.slices = ctx.informers().informer(EndpointSlice.class);
    slices.addIndexers(Map.of(SLICES_BY_ENDPOINTS,
        s -> endpointsKey(s).map(k -> List.of(k.cacheKey())).orElse(List.of())));
    endpoints.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Endpoints e) {
        if (mirrorable(e)) {
          loop.enqueue(ObjectKey.of(e));
        }
      }

      @Override
      public void onUpdate(Endpoints old, Endpoints e) {
        if (mirrorable(old) || mirrorable(e)) {
          loop.enqueue(ObjectKey.of(e));
        }
      }

      @Override
      public void onDelete(Endpoints e, boolean finalStateUnknown) {
        loop.enqueue(ObjectKey.of(e));
      }
    });
    services.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service s) {
        if (selectorless(s)) {
          loop.enqueue(ObjectKey.of(s));
        }
      }

      @Override
      public void onUpdate(Service old, Service s) {
        if (selectorless(old) != selectorless(s)) {
          loop.enqueue(ObjectKey.of(s));
        }
      }

      @Override
      public void onDelete(Service s, boolean finalStateUnknown) {
        loop.enqueue(ObjectKey.of(s));
      }
    });
    slices.addEventHandler(EnqueueRelatedKey.onAnyEvent(EndpointSliceMirroringController::endpointsKey,
        loop::enqueue));
  }

  /** The Endpoints a slice of this controller mirrors. */
  private static Optional<ObjectKey> endpointsKey(EndpointSlice s) {
    Map<String, String> labels = s.getMetadata().getLabels();
    if (labels == null || !MANAGED_BY.equals(labels.get(EndpointSliceController.MANAGED_BY_LABEL))
        || labels.get(EndpointSliceController.SERVICE_NAME_LABEL) == null) {
      return Optional.empty();
    }
    return Optional.of(new ObjectKey(s.getMetadata().getNamespace(), labels.get(EndpointSliceController.SERVICE_NAME_LABEL)));
  }

  static boolean mirrorable(Endpoints e) {
    Map<String, String> labels = e.getMetadata().getLabels();
    Map<String, String> annotations = e.getMetadata().getAnnotations();
    return !(labels != null && "true".equals(labels.get(SKIP_MIRROR_LABEL)))
        && !(annotations != null && annotations.containsKey(LEADER_ANNOTATION));
  }

  private static boolean selectorless(Service s) {
    return s.getSpec() == null || s.getSpec().getSelector() == null || s.getSpec().getSelector().isEmpty();
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
    List<EndpointSlice> existing = slices.getIndexer().byIndex(SLICES_BY_ENDPOINTS, key.cacheKey());
    Endpoints ep = endpoints.getStore().getByKey(key.cacheKey());
    Service svc = services.getStore().getByKey(key.cacheKey());
    if (ep == null || !mirrorable(ep) || svc == null || !selectorless(svc)) {
      existing.forEach(writer::delete);
      return Result.done();
    }
    MirroredEndpoints desired = MirroredEndpoints.of(ep, MAX_ENDPOINTS_PER_SUBSET);
    if (desired.invalid() > 0) {
      events.event(ep, EventRecorder.WARNING, "InvalidIPAddress",
          "Skipped " + desired.invalid() + " invalid IP addresses when mirroring to EndpointSlices");
    }
    if (desired.overLimit() > 0) {
      events.event(ep, EventRecorder.WARNING, "TooManyAddressesToMirror", "A max of " + MAX_ENDPOINTS_PER_SUBSET
          + " addresses can be mirrored to EndpointSlices per Endpoints subset. " + desired.overLimit()
          + " addresses were skipped");
    }
    SlicePlan plan = SlicePlan.of(desired.endpoints(), existing, template(ep), MAX_ENDPOINTS_PER_SUBSET, true);
    writer.write(key.namespace(), plan, ep.getMetadata().getDeletionTimestamp() == null);
    return Result.done();
  }

  /** A new slice for {@code ep}: its labels and annotations (as upstream, less a few), owned by it. */
  private static EndpointSlice template(Endpoints ep) {
    Map<String, String> labels = new HashMap<>(ep.getMetadata().getLabels() == null ? Map.of() : ep.getMetadata().getLabels());
    labels.put(EndpointSliceController.SERVICE_NAME_LABEL, ep.getMetadata().getName());
    labels.put(EndpointSliceController.MANAGED_BY_LABEL, MANAGED_BY);
    Map<String, String> annotations =
        new HashMap<>(ep.getMetadata().getAnnotations() == null ? Map.of() : ep.getMetadata().getAnnotations());
    NOT_COPIED.forEach(annotations::remove);
    return new EndpointSliceBuilder().withNewMetadata().withGenerateName(ep.getMetadata().getName() + "-")
        .withNamespace(ep.getMetadata().getNamespace()).withLabels(labels).withAnnotations(annotations)
        .withOwnerReferences(OwnerReferences.controllerRef(ep)).endMetadata().build();
  }

  @Override
  public void close() {
    loop.close();
  }
}
