package dev.skiff.controllers.garbagecollector;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector ({@code pkg/controller/garbagecollector}): one informer per deletable
 * resource the server serves (found by discovery at start) feeds the {@link DependencyGraph}.
 * As upstream, it reads metadata only: a kind some component of the process already informs
 * (pods, replicasets, ...) is read from that shared typed cache, every other kind through a
 * {@link MetadataInformer} that carries no specs; the graph keeps only uids, names and owner
 * references. The graph hands object uids to two loops.
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
  private final List<MetadataInformer> metadataInformers = new ArrayList<>();
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
    int shared = 0;
    for (ServedResource r : catalog.all()) {
      Optional<SharedIndexInformer<? extends HasMetadata>> typed = ctx.informers().existing(r.apiVersion(), r.kind());
      if (typed.isPresent()) {
        // the handlers go with the term's informer scope; the cache is the process's
        typed.get().addEventHandler(handler(r));
        started.add(typed.get().start().toCompletableFuture());
        shared++;
      } else {
        MetadataInformer informer = new MetadataInformer(client, r, handler(r));
        metadataInformers.add(informer);
        started.add(informer.start());
      }
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    LOG.info("garbage collector watches {} resources ({} from shared typed informers, the rest as metadata), {} objects",
        catalog.all().size(), shared, graph.size());
    deleteLoop.start(ctx.config().workers());
    orphanLoop.start(ctx.config().workers());
  }

  /** Feeds the graph from either kind of informer; only metadata is read, and kind and version come from {@code r}. */
  private ResourceEventHandler<HasMetadata> handler(ServedResource r) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        route(graph.observe(r.apiVersion(), r.kind(), obj.getMetadata()));
      }

      @Override
      public void onUpdate(HasMetadata old, HasMetadata obj) {
        // old is null from a MetadataInformer, which reports only changed versions
        if (old == null || !Objects.equals(old.getMetadata().getResourceVersion(), obj.getMetadata().getResourceVersion())) {
          route(graph.observe(r.apiVersion(), r.kind(), obj.getMetadata()));
        }
      }

      @Override
      public void onDelete(HasMetadata obj, boolean unknownFinalState) {
        route(graph.forget(obj.getMetadata().getUid()));
      }
    };
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
    metadataInformers.forEach(MetadataInformer::close);
    metadataInformers.clear();
    if (deleteLoop != null) {
      deleteLoop.close();
    }
    if (orphanLoop != null) {
      orphanLoop.close();
    }
  }
}
