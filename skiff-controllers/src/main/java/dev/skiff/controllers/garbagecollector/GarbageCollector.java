package dev.skiff.controllers.garbagecollector;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector ({@code pkg/controller/garbagecollector}): one informer per deletable
 * resource the server serves (found by discovery at start) feeds the {@link DependencyGraph};
 * the graph hands object uids to two loops. {@link CollectionStep#attemptToDelete} deletes
 * objects whose owners are all gone (background), and finishes foreground deletions;
 * {@link CollectionStep#attemptToOrphan} strips owner references for the {@code orphan}
 * finalizer. Events are never answered by scanning all objects: each touches its own node, its
 * owners and its dependents.
 */
public final class GarbageCollector implements Controller {
  public static final String NAME = "garbage-collector-controller";
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final ControllerContext ctx;
  private KubernetesClient client;
  private final DependencyGraph graph = new DependencyGraph();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private ControllerLoop<String> deleteLoop;
  private ControllerLoop<String> orphanLoop;

  public GarbageCollector(ControllerContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Discovers resources, starts their informers, waits for them to list, then starts the workers. */
  @Override
  public synchronized void start() throws Exception {
    client = ctx.client();
    ResourceCatalog catalog = ResourceCatalog.discover(client);
    CollectionStep step = new CollectionStep(client, catalog, graph);
    step.routeTo(this::route);
    deleteLoop = new ControllerLoop<>(NAME + "-delete", step::attemptToDelete, ctx.clock());
    orphanLoop = new ControllerLoop<>(NAME + "-orphan", step::attemptToOrphan, ctx.clock());
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (ServedResource r : catalog.all()) {
      SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(r.context())
          .inAnyNamespace().runnableInformer(0);
      informer.addEventHandler(handler(r));
      informers.add(informer);
      started.add(informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    LOG.info("garbage collector watches {} resources, {} objects", catalog.all().size(), graph.size());
    deleteLoop.start(ctx.config().workers());
    orphanLoop.start(ctx.config().workers());
  }

  private ResourceEventHandler<GenericKubernetesResource> handler(ServedResource r) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        route(graph.observe(withKind(obj, r)));
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), obj.getMetadata().getResourceVersion())) {
          route(graph.observe(withKind(obj, r)));
        }
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
        route(graph.forget(obj.getMetadata().getUid()));
      }
    };
  }

  /** List items may come without kind and apiVersion; the informer's resource knows them. */
  private static GenericKubernetesResource withKind(GenericKubernetesResource obj, ServedResource r) {
    if (obj.getKind() == null || obj.getApiVersion() == null) {
      obj.setKind(r.kind());
      obj.setApiVersion(r.apiVersion());
    }
    return obj;
  }

  private void route(DependencyGraph.Work work) {
    // informers may deliver events before start() built the loops only if start failed; then drop them
    ControllerLoop<String> del = deleteLoop;
    ControllerLoop<String> orph = orphanLoop;
    if (del != null) {
      work.toDelete().forEach(del::enqueue);
    }
    if (orph != null) {
      work.toOrphan().forEach(orph::enqueue);
    }
  }

  @Override
  public synchronized void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
    if (deleteLoop != null) {
      deleteLoop.close();
    }
    if (orphanLoop != null) {
      orphanLoop.close();
    }
  }
}
