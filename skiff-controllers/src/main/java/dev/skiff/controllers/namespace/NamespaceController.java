package dev.skiff.controllers.namespace;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's namespace controller: for a namespace the API server has marked Terminating, deletes
 * every object in it (custom resources included, found by discovery on each pass), records
 * progress in the namespace's conditions, and once nothing is left removes the {@code kubernetes}
 * finalizer through {@code namespaces/{name}/finalize}, after which the API server removes the
 * namespace. Objects that wait on finalizers or a pod's grace period are polled: the namespace is
 * requeued every {@link #RECHECK} until they are gone.
 */
public final class NamespaceController implements Controller, Reconciler {
  public static final String NAME = "namespace-controller";
  static final String FINALIZER = "kubernetes";
  /** How soon a namespace whose content is still going away is looked at again. */
  static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);

  private final KubernetesClient client;
  private final InstantSource clock;
  private final int workers;
  private final ContentDeletion contentDeletion;
  private final ControllerLoop<ObjectKey> loop;

  public NamespaceController(ControllerContext ctx) {
    this.client = ctx.client();
    this.clock = ctx.clock();
    this.workers = ctx.config().workers();
    this.contentDeletion = new ContentDeletion(client);
    this.loop = ControllerLoop.of(NAME, this, clock);
    ctx.informers().informer(Namespace.class).addEventHandler(EnqueueOwnKey.into(loop::enqueue));
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
    // read from the server: a stale cached copy could finalize a namespace that changed meanwhile
    Namespace ns = client.namespaces().withName(key.name()).get();
    if (ns == null || ns.getMetadata().getDeletionTimestamp() == null
        || ns.getSpec() == null || ns.getSpec().getFinalizers() == null
        || !ns.getSpec().getFinalizers().contains(FINALIZER)) {
      return Result.done();
    }
    NamespacedResources discovered = NamespacedResources.discover(client);
    ContentDeletion.Outcome outcome = contentDeletion.run(key.name(), discovered.resources());
    writeConditions(ns, NamespaceConditions.of(discovered, outcome));
    if (!discovered.failedGroupVersions().isEmpty() || !outcome.failures().isEmpty()) {
      throw new IllegalStateException("namespace %s: discovery failed for %s; deletion failed for %s"
          .formatted(key.name(), discovered.failedGroupVersions(), outcome.failures()));
    }
    if (!outcome.empty()) {
      LOG.debug("namespace {} still holds {}", key.name(), outcome.remaining());
      return Result.requeueAfter(RECHECK);
    }
    finalizeNamespace(ns);
    LOG.info("namespace {} emptied and finalized", key.name());
    return Result.done();
  }

  private void writeConditions(Namespace ns, List<NamespaceCondition> wanted) {
    List<NamespaceCondition> current = ns.getStatus() == null || ns.getStatus().getConditions() == null
        ? List.of() : ns.getStatus().getConditions();
    List<NamespaceCondition> merged = NamespaceConditions.merge(current, wanted, clock.instant());
    if (merged != null) {
      client.namespaces().withName(ns.getMetadata().getName()).editStatus(n -> {
        n.getStatus().setConditions(merged);
        return n;
      });
    }
  }

  private void finalizeNamespace(Namespace ns) {
    List<String> rest = new ArrayList<>(ns.getSpec().getFinalizers());
    rest.remove(FINALIZER);
    Map<String, Object> body = Map.of("apiVersion", "v1", "kind", "Namespace",
        "metadata", Map.of("name", ns.getMetadata().getName()), "spec", Map.of("finalizers", rest));
    client.raw("/api/v1/namespaces/" + ns.getMetadata().getName() + "/finalize", "PUT", body);
  }

  @Override
  public void close() {
    loop.close();
  }
}
