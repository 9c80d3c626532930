package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.queue.QueueOptions;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.junit.jupiter.api.Test;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The informer's store holds the first list before its handlers have been told of it; the
 * scheduler must wait for the handlers (upstream's WaitForHandlersSync), not only for the store.
 */
class SyncedHandlerTest {

    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingQueue queue = new SchedulingQueue(InstantSource.system(), QueueOptions.DEFAULTS,
            Map.of("Any", List.of(new ClusterEvent(ClusterEvent.Resource.WILDCARD, ClusterEvent.Action.ALL))), new Nominator());
    private final AtomicBoolean informerSynced = new AtomicBoolean();
    private final List<String> store = new CopyOnWriteArrayList<>();
    private final SyncedHandler<Node> handler = new SyncedHandler<>(informerSynced::get, () -> List.copyOf(store),
            n -> n.getMetadata().getName(), new NodeEventHandler(cache, queue));

    @Test
    void notSyncedUntilTheHandlerWasToldOfEveryListedNode() {
        store.addAll(List.of("n1", "n2", "n3"));
        informerSynced.set(true); // the store is full: fabric8's hasSynced() is true here
        handler.onAdd(node("n1").build());
        handler.onAdd(node("n2").build());
        assertThat(handler.hasSynced()).as("n3 is listed but not yet handed to the cache").isFalse();
        assertThat(cache.nodeCount()).isEqualTo(2);

        handler.onAdd(node("n3").build());

        assertThat(handler.hasSynced()).isTrue();
        assertThat(cache.nodeCount()).isEqualTo(3);
    }

    @Test
    void notSyncedBeforeTheInformerEvenWhenTheHandlerSawEverythingListedSoFar() {
        store.add("n1");
        handler.onAdd(node("n1").build());
        assertThat(handler.hasSynced()).isFalse();
        informerSynced.set(true);
        assertThat(handler.hasSynced()).isTrue();
    }

    @Test
    void anEmptyListIsSyncedAtOnceAndSyncedStaysTrue() {
        informerSynced.set(true);
        assertThat(handler.hasSynced()).isTrue();
        store.add("late"); // a node added after the sync does not take it back
        assertThat(handler.hasSynced()).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anObjectIsCountedOnlyAfterTheDelegateHandledIt() {
        store.add("n1");
        informerSynced.set(true);
        AtomicInteger syncedDuringDelegate = new AtomicInteger(-1);
        SyncedHandler<Node>[] self = new SyncedHandler[1];
        self[0] = new SyncedHandler<>(informerSynced::get, () -> List.copyOf(store), n -> n.getMetadata().getName(),
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Node node) {
                        syncedDuringDelegate.set(self[0].hasSynced() ? 1 : 0);
                        cache.addNode(node);
                    }

                    @Override
                    public void onUpdate(Node old, Node node) {
                    }

                    @Override
                    public void onDelete(Node node, boolean unknown) {
                    }
                });
        self[0].onAdd(node("n1").build());
        assertThat(syncedDuringDelegate).hasValue(0);
        assertThat(self[0].hasSynced()).isTrue();
    }
}
