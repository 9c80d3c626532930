package dev.skiff.controllers.garbagecollector;

import static dev.skiff.controllers.garbagecollector.DependencyGraph.FOREGROUND;
import static dev.skiff.controllers.garbagecollector.DependencyGraph.ORPHAN;

import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's two sync steps (upstream's {@code attemptToDeleteItem} and
 * {@code attemptToOrphanWorker}). Both read the object live from the API before acting, as
 * upstream does, because a stale cache here would delete the wrong thing; deletes carry a uid
 * precondition and patches test the uid and the list they replace.
 */
final class CollectionStep {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionStep.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Duration WAIT_FOR_DEPENDENTS = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final ResourceCatalog catalog;
  private final DependencyGraph graph;
  private Consumer<DependencyGraph.Work> router = w -> {};

  CollectionStep(KubernetesClient client, ResourceCatalog catalog, DependencyGraph graph) {
    this.client = client;
    this.catalog = catalog;
    this.graph = graph;
  }

  /** Where follow-up work (dependents of a vanished owner) goes. */
  void routeTo(Consumer<DependencyGraph.Work> router) {
    this.router = Objects.requireNonNull(router, "router");
  }

  Reconciler.Result attemptToDelete(String uid) throws Exception {
    Optional<DependencyGraph.Item> found = graph.item(uid);
    if (found.isEmpty()) {
      return Reconciler.Result.done();
    }
    DependencyGraph.Item item = found.get();
    Optional<ServedResource> resource = catalog.forKind(item.apiVersion(), item.kind());
    if (resource.isEmpty()) {
      LOG.debug("cannot resolve {} {}: not collected", item.apiVersion(), item.kind());
      return Reconciler.Result.done();
    }
    GenericKubernetesResource latest = get(resource.get(), item.namespace(), item.name());
    if (latest == null || !uid.equals(latest.getMetadata().getUid())) {
      // gone (or replaced): what it owned must be looked at
      router.accept(graph.forget(uid));
      return Reconciler.Result.done();
    }
    if (item.virtual()) {
      return Reconciler.Result.done(); // it exists; its informer will show it
    }
    List<String> finalizers = finalizers(latest);
    if (latest.getMetadata().getDeletionTimestamp() != null) {
      if (!finalizers.contains(FOREGROUND)) {
        return Reconciler.Result.done();
      }
      return finishForeground(resource.get(), latest);
    }
    List<OwnerReference> owners = latest.getMetadata().getOwnerReferences();
    if (owners == null || owners.isEmpty()) {
      return Reconciler.Result.done();
    }
    List<OwnerReference> solid = new ArrayList<>();
    List<String> danglingOrWaiting = new ArrayList<>();
    boolean waiting = false;
    for (OwnerReference ref : owners) {
      Optional<ServedResource> ownerResource = catalog.forKind(ref.getApiVersion(), ref.getKind());
      if (ownerResource.isEmpty()) {
        solid.add(ref); // an owner we cannot look up is never treated as gone
        continue;
      }
      GenericKubernetesResource owner = get(ownerResource.get(), item.namespace(), ref.getName());
      if (owner == null || !ref.getUid().equals(owner.getMetadata().getUid())) {
        danglingOrWaiting.add(ref.getUid());
      } else if (owner.getMetadata().getDeletionTimestamp() != null && finalizers(owner).contains(FOREGROUND)) {
        danglingOrWaiting.add(ref.getUid());
        waiting = true;
      } else {
        solid.add(ref);
      }
    }
    if (!solid.isEmpty()) {
      if (!danglingOrWaiting.isEmpty()) {
        List<OwnerReference> keep = owners.stream().filter(r -> !danglingOrWaiting.contains(r.getUid())).toList();
        patch(resource.get(), latest, List.of(test("/metadata/uid", uid), test("/metadata/ownerReferences", owners),
            Map.of("op", "replace", "path", "/metadata/ownerReferences", "value", keep)));
      }
      return Reconciler.Result.done();
    }
    String policy;
    if (waiting && !graph.dependents(uid).isEmpty()) {
      policy = "Foreground"; // its owner waits for it, so it waits for its own dependents
    } else if (finalizers.contains(ORPHAN)) {
      policy = "Orphan";
    } else if (finalizers.contains(FOREGROUND)) {
      policy = "Foreground";
    } else {
      policy = "Background";
    }
    delete(resource.get(), latest, policy);
    return Reconciler.Result.done();
  }

  /** Foreground deletion: once no dependent blocks the owner, drop the foregroundDeletion finalizer. */
  private Reconciler.Result finishForeground(ServedResource resource, GenericKubernetesResource owner) throws Exception {
    String uid = owner.getMetadata().getUid();
    List<DependencyGraph.Dependent> blocking = graph.dependents(uid).stream()
        .filter(DependencyGraph.Dependent::blocksOwnerDeletion).toList();
    if (blocking.isEmpty()) {
      removeFinalizer(resource, owner, FOREGROUND);
      return Reconciler.Result.done();
    }
    List<String> again = blocking.stream().filter(d -> !d.beingDeleted()).map(d -> d.item().uid()).toList();
    router.accept(new DependencyGraph.Work(again, List.of()));
    return Reconciler.Result.requeueAfter(WAIT_FOR_DEPENDENTS);
  }

  Reconciler.Result attemptToOrphan(String uid) throws Exception {
    Optional<DependencyGraph.Item> found = graph.item(uid);
    if (found.isEmpty()) {
      return Reconciler.Result.done();
    }
    DependencyGraph.Item owner = found.get();
    for (DependencyGraph.Dependent d : graph.dependents(uid)) {
      Optional<ServedResource> r = catalog.forKind(d.item().apiVersion(), d.item().kind());
      if (r.isEmpty()) {
        continue;
      }
      GenericKubernetesResource dependent = get(r.get(), d.item().namespace(), d.item().name());
      if (dependent == null || !d.item().uid().equals(dependent.getMetadata().getUid())) {
        continue;
      }
      List<OwnerReference> refs = dependent.getMetadata().getOwnerReferences();
      if (refs == null || refs.stream().noneMatch(x -> uid.equals(x.getUid()))) {
        continue;
      }
      List<OwnerReference> keep = refs.stream().filter(x -> !uid.equals(x.getUid())).toList();
      // upstream's ObjectMeta omits an empty list, so the last reference takes the field with it
      Map<String, Object> write = keep.isEmpty()
          ? Map.of("op", "remove", "path", "/metadata/ownerReferences")
          : Map.of("op", "replace", "path", "/metadata/ownerReferences", "value", keep);
      patch(r.get(), dependent, List.of(test("/metadata/uid", d.item().uid()), test("/metadata/ownerReferences", refs),
          write));
    }
    Optional<ServedResource> r = catalog.forKind(owner.apiVersion(), owner.kind());
    GenericKubernetesResource latest = r.isEmpty() ? null : get(r.get(), owner.namespace(), owner.name());
    if (latest != null && uid.equals(latest.getMetadata().getUid())) {
      removeFinalizer(r.get(), latest, ORPHAN);
    }
    return Reconciler.Result.done();
  }

  private void removeFinalizer(ServedResource r, GenericKubernetesResource obj, String finalizer) {
    List<String> before = finalizers(obj);
    if (!before.contains(finalizer)) {
      return;
    }
    List<String> after = before.stream().filter(f -> !f.equals(finalizer)).toList();
    patch(r, obj, List.of(test("/metadata/uid", obj.getMetadata().getUid()), test("/metadata/finalizers", before),
        Map.of("op", "replace", "path", "/metadata/finalizers", "value", after)));
  }

  private static Map<String, Object> test(String path, Object value) {
    return Map.of("op", "test", "path", path, "value", value);
  }

  private static List<String> finalizers(GenericKubernetesResource obj) {
    return obj.getMetadata().getFinalizers() == null ? List.of() : obj.getMetadata().getFinalizers();
  }

  private Resource<GenericKubernetesResource> resource(ServedResource r, String namespace, String name) {
    var op = client.genericKubernetesResources(r.context());
    return r.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name);
  }

  private GenericKubernetesResource get(ServedResource r, String namespace, String name) {
    return resource(r, namespace, name).get();
  }

  private void patch(ServedResource r, GenericKubernetesResource obj, List<Map<String, Object>> ops) {
    try {
      resource(r, obj.getMetadata().getNamespace(), obj.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), JSON.asJson(ops));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e; // a failed test (the object changed meanwhile) is retried with a fresh read
      }
    }
  }

  /** DELETE with a uid precondition and a propagation policy, as upstream's collector sends. */
  private void delete(ServedResource r, GenericKubernetesResource obj, String policy) throws Exception {
    String body = JSON.asJson(Map.of("kind", "DeleteOptions", "apiVersion", "v1", "propagationPolicy", policy,
        "preconditions", Map.of("uid", obj.getMetadata().getUid())));
    String base = client.getMasterUrl().toString().replaceAll("/+$", "");
    var http = client.getHttpClient();
    var request = http.newHttpRequestBuilder().uri(base + r.path(obj.getMetadata().getNamespace(), obj.getMetadata().getName()))
        .method("DELETE", "application/json", body).build();
    HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    int code = response.code();
    if (code == 404 || code == 409 || (code >= 200 && code < 300)) {
      LOG.debug("deleted {} {}/{} ({}): {}", r.kind(), obj.getMetadata().getNamespace(), obj.getMetadata().getName(), policy, code);
      return;
    }
    throw new IllegalStateException("delete of %s %s failed: %d %s".formatted(r.kind(), obj.getMetadata().getName(), code,
        response.body()));
  }
}
