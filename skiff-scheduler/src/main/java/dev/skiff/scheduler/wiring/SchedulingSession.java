package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulingLoop;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.plugins.InTreeRegistry;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import dev.skiff.informers.InformerScope;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One leadership term of the scheduler: fresh cache, queue and framework, the informers that feed
 * them, and the {@link SchedulingLoop}, started only once every informer has synced and the node and
 * pod handlers have been told of every object listed ({@link SyncedHandler}), so the first cycle sees
 * every node and every bound pod. Built fresh for each term because a former leader's
 * memory (assumed pods, nominations) cannot be trusted after another scheduler acted.
 *
 * <p>Informers: nodes; pods (all, split by {@link PodEventHandler}); namespaces, services and
 * replicasets for the {@link InformerClusterLister}. They are the process's shared informers seen
 * through this term's {@link InformerScope}: the term adds its handlers (told of every cached
 * object as adds) and closing the scope removes them; the caches outlive the term. The server does not serve
 * ReplicationControllers, StatefulSets or PodDisruptionBudgets yet, so none are watched.
 */
final class SchedulingSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulingSession.class);
    /** Bindings written at once: enough to keep a loopback API server busy, few enough to bound memory. */
    private static final int MAX_BINDINGS_IN_FLIGHT = 64;

    private final InformerScope scope;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    /** The handlers that feed the cache and queue: scheduling waits until they have seen the first lists. */
    private final List<SyncedHandler<?>> handlers = new ArrayList<>();
    private final SchedulerConfig config;
    private final AsyncBinder binder;
    private final ApiSchedulingEvents events;
    private final SchedulingQueue queue;
    private final SchedulerCache cache;
    private volatile SchedulingLoop loop;
    private volatile boolean closed;

    SchedulingSession(KubernetesClient client, InformerScope scope, SchedulerConfig config) {
        this.config = config;
        this.scope = scope;
        InstantSource clock = InstantSource.system();
        String schedulerName = config.profile().schedulerName();
        SharedIndexInformer<Namespace> namespaces = scope.informer(Namespace.class);
        SharedIndexInformer<Service> services = scope.informer(Service.class);
        SharedIndexInformer<ReplicaSet> replicaSets = scope.informer(ReplicaSet.class);
        SharedIndexInformer<Pod> pods = scope.informer(Pod.class);
        this.cache = new SchedulerCache();
        this.binder = new AsyncBinder(new ApiPodBinder(client), MAX_BINDINGS_IN_FLIGHT, (pod, node, error) -> {
            bindingFailed(pods, pod, error);
        });
        Nominator nominator = new Nominator();
        Random random = new Random();
        Framework framework = new Framework(config.profile(), InTreeRegistry.factories(random), new Framework.Options(random,
                nominator, binder, new ApiPodEvictor(client, schedulerName, clock),
                new InformerClusterLister(namespaces, services, replicaSets)));
        this.queue = new SchedulingQueue(clock, config.queueOptions(), framework.eventsByPlugin(), nominator);
        this.events = new ApiSchedulingEvents(client, new EventRecorder(client, schedulerName, config.identity(), clock), binder, clock);
        Scheduler scheduler = new Scheduler(framework, cache, queue, events);

        SharedIndexInformer<Node> nodes = scope.informer(Node.class);
        handlers.add(SyncedHandler.register(nodes, new NodeEventHandler(cache, queue)));
        handlers.add(SyncedHandler.register(pods, new PodEventHandler(cache, queue, schedulerName)));
        informers.addAll(List.of(namespaces, services, replicaSets, nodes, pods));
        Thread.ofVirtual().name("scheduler-start").start(() -> startAfterSync(scheduler));
    }

    /**
     * Upstream's binding-cycle failure: forget the assumed pod (its room is free again, which may
     * let parked pods fit), report FailedScheduling, and retry the pod after a back-off if it still
     * exists unbound (a pod deleted or bound by someone else meanwhile is not retried).
     */
    private void bindingFailed(SharedIndexInformer<Pod> pods, PodInfo pod, Exception error) {
        cache.forgetPod(pod.key());
        queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        events.failedScheduling(pod, "SchedulerError", String.valueOf(error.getMessage()), null);
        try {
            Thread.sleep(config.queueOptions().initialBackoff());
        } catch (InterruptedException e) {
            return;
        }
        Pod latest = pods.getIndexer().getByKey(pod.key());
        if (!closed && latest != null && !PodEventHandler.isBound(latest) && latest.getMetadata().getDeletionTimestamp() == null) {
            queue.add(latest);
        }
    }

    private void startAfterSync(Scheduler scheduler) {
        try {
            // upstream's WaitForCacheSync and then WaitForHandlersSync: the stores hold the first
            // lists before the handlers have been told of them, and the first cycle needs every node
            while (!closed && !(informers.stream().allMatch(SharedIndexInformer::hasSynced)
                    && handlers.stream().allMatch(SyncedHandler::hasSynced))) {
                Thread.sleep(Duration.ofMillis(50));
            }
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                log.info("scheduler caches synced: {} nodes, {} bound pods, {} pending", cache.nodeCount(), cache.podCount(), queue.size());
                loop = new SchedulingLoop(scheduler, queue);
            }
        }
    }

    /** True once the informers synced and the loop runs. */
    boolean isScheduling() {
        return loop != null;
    }

    @Override
    public void close() throws InterruptedException {
        SchedulingLoop l;
        synchronized (this) {
            closed = true;
            l = loop;
        }
        if (l != null) {
            l.close();
        } else {
            queue.close();
        }
        binder.close();
        // the handlers go; the shared caches stay for the next term and the other components
        scope.close();
        events.close();
    }
}
