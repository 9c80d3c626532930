package dev.skiff.controllers.endpoint;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EnqueueRelatedKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's endpoints controller: keeps an Endpoints object, named and labelled like its Service,
 * listing the pods that each Service with a selector selects ({@link DesiredSubsets}). Services
 * without a selector are left alone (their Endpoints are written by hand or by the API server);
 * the Endpoints of a deleted Service are deleted. Queue keys are Services; pod events reach the
 * Services that select the pod through {@link ServicePodIndex}.
 */
public final class EndpointsController implements Controller, Reconciler {
  public static final String NAME = "endpoints-controller";
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  private final KubernetesClient client;
  private final int workers;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Endpoints> endpoints;
  private final ServicePodIndex index;
  private final ControllerLoop<ObjectKey> loop;

  public EndpointsController(ControllerContext ctx) {
    this.client = ctx.client();
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.services = ctx.informers().informer(Service.class);
    SharedIndexInformer<Pod> pods = ctx.informers().informer(Pod.class);
    this.endpoints = ctx.informers().informer(Endpoints.class);
    this.index = new ServicePodIndex(services, pods);
    services.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    pods.addEventHandler(index.enqueueServices(loop::enqueue));
    // someone deleting or editing an Endpoints object gets it rewritten, as upstream
    endpoints.addEventHandler(EnqueueRelatedKey.<Endpoints>onChangeOrDelete(ep -> Optional.of(ObjectKey.of(ep)), loop::enqueue));
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
    Endpoints current = endpoints.getStore().getByKey(key.cacheKey());
    if (svc == null) {
      if (current != null) {
        try {
          client.endpoints().inNamespace(key.namespace()).withName(key.name()).delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      return Result.done();
    }
    if (ServicePodIndex.selector(svc).isEmpty()) {
      return Result.done();
    }
    List<EndpointSubset> subsets = DesiredSubsets.of(svc, index.podsOf(svc));
    Map<String, String> labels = new HashMap<>(svc.getMetadata().getLabels() == null ? Map.of() : svc.getMetadata().getLabels());
    if (EndpointPods.headless(svc)) {
      labels.put(HEADLESS_LABEL, "");
    }
    if (current == null) {
      Endpoints ep = new EndpointsBuilder().withNewMetadata().withName(key.name()).withNamespace(key.namespace())
          .withLabels(labels).endMetadata().withSubsets(subsets).build();
      try {
        client.endpoints().inNamespace(key.namespace()).resource(ep).create();
      } catch (KubernetesClientException e) {
        // 403: the namespace is terminating; anything else (409: cache behind) retries
        if (e.getCode() != 403) {
          throw e;
        }
      }
      return Result.done();
    }
    List<EndpointSubset> have = current.getSubsets() == null ? List.of() : current.getSubsets();
    Map<String, String> haveLabels = current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels();
    if (have.equals(subsets) && haveLabels.equals(labels)) {
      return Result.done();
    }
    Endpoints updated = new EndpointsBuilder(current).editMetadata().withLabels(labels).endMetadata()
        .withSubsets(subsets).build();
    // the resourceVersion of the cached copy guards against overwriting a newer one (409 retries)
    client.endpoints().inNamespace(key.namespace()).resource(updated).update();
    return Result.done();
  }

  @Override
  public void close() {
    loop.close();
  }
}
