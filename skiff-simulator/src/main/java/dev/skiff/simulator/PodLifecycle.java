package dev.skiff.simulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs pods bound to simulated nodes through a kubelet's life, without containers. It reads the
 * process's shared pod informer (all pods, the same cache the scheduler and the controllers read);
 * its handler keeps only those on simulated nodes
 * (one map look-up) and queues their keys; workers {@link #reconcile} a key from the informer's
 * cache:
 * <ul>
 *   <li>being deleted: the kubelet would stop it and delete it with grace period 0; so do we;</li>
 *   <li>not yet running: post Running with a pod IP from the node's CIDR, ready containers;</li>
 *   <li>running, annotated {@value #EXIT_CODE_ANNOTATION}: post Succeeded (0) or Failed (other);</li>
 *   <li>otherwise (finished, or running as it should): nothing.</li>
 * </ul>
 * Each reconcile is idempotent and reads only its own pod, so no event costs work in the number
 * of pods. A failed write requeues the key after a second.
 */
final class PodLifecycle implements AutoCloseable {

    /** Makes a simulated pod's containers exit with this code once running. */
    static final String EXIT_CODE_ANNOTATION = "skiff.dev/simulate-exit-code";
    private static final Logger log = LoggerFactory.getLogger(PodLifecycle.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final Map<String, SimulatedNode> nodes;
    private final Map<String, PodAddresses> addresses;
    private final InstantSource clock;
    private final KeyQueue queue = new KeyQueue();
    private final SharedIndexInformer<Pod> informer;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param informer the pod informer (all namespaces), as a view whose {@code close} removes this
     *     lifecycle's handler; it is already started or starts elsewhere
     */
    PodLifecycle(KubernetesClient client, SharedIndexInformer<Pod> informer, Map<String, SimulatedNode> nodes,
                 Map<String, PodAddresses> addresses, int workerCount, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.nodes = Map.copyOf(nodes);
        this.addresses = Map.copyOf(addresses);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.informer = Objects.requireNonNull(informer, "informer");
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                SimulatedNode node = nodeOf(pod);
                if (node != null) {
                    restoreAddress(node, pod);
                    queue.add(Cache.metaNamespaceKeyFunc(pod));
                }
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (nodeOf(pod) != null) {
                    queue.add(Cache.metaNamespaceKeyFunc(pod));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                SimulatedNode node = nodeOf(pod);
                if (node != null) {
                    addresses.get(node.name()).release(pod.getMetadata().getUid());
                }
            }
        });
        informer.start();
        Thread.ofVirtual().name("sim-pods-start").start(() -> startWorkers(workerCount));
    }

    /** Marks a running pod's IP taken (idempotent), so that no other pod on its node gets it. */
    private void restoreAddress(SimulatedNode node, Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip != null && !ip.isEmpty() && !isFinished(pod)) {
            addresses.get(node.name()).restore(pod.getMetadata().getUid(), ip);
        }
    }

    /** Workers start once the informer has listed every pod, so restored IPs are known before any is handed out. */
    private void startWorkers(int count) {
        try {
            while (running && !informer.hasSynced()) {
                Thread.sleep(Duration.ofMillis(20));
            }
        } catch (InterruptedException e) {
            return;
        }
        // a shared informer may have synced long before this handler is told of its cache (the adds
        // are replayed on its dispatch thread), so take the addresses in use from the cache itself
        for (Pod pod : informer.getStore().list()) {
            SimulatedNode node = nodeOf(pod);
            if (node != null) {
                restoreAddress(node, pod);
            }
        }
        synchronized (workers) {
            for (int i = 0; running && i < count; i++) {
                workers.add(Thread.ofVirtual().name("sim-pods-" + i).start(this::work));
            }
        }
    }

    private void work() {
        while (running) {
            Optional<String> key;
            try {
                key = queue.take(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
            if (key.isEmpty()) {
                continue;
            }
            try {
                reconcile(key.get());
            } catch (RuntimeException e) {
                if (running) {
                    log.debug("simulated pod {} failed, retrying: {}", key.get(), e.getMessage());
                    String k = key.get();
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(RETRY_AFTER);
                            queue.add(k);
                        } catch (InterruptedException ignored) {
                            // closing
                        }
                    });
                }
            } finally {
                queue.done(key.get());
            }
        }
    }

    void reconcile(String key) {
        Pod pod = informer.getIndexer().getByKey(key);
        SimulatedNode node = pod == null ? null : nodeOf(pod);
        if (node == null) {
            return;
        }
        var resource = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            try {
                resource.withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            return;
        }
        if (isFinished(pod)) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        PodAddresses ips = addresses.get(node.name());
        String phase = pod.getStatus() == null ? "" : Objects.requireNonNullElse(pod.getStatus().getPhase(), "");
        if (!phase.equals("Running")) {
            Optional<String> ip = ips.allocate(uid);
            if (ip.isEmpty()) {
                log.warn("no pod IP left on {} for {}", node.name(), key);
                return; // stays Pending, as a pod whose sandbox cannot get an address
            }
            writeStatus(resource, PodStatuses.running(pod, node, ip.get(), clock.instant()));
            return;
        }
        Integer exitCode = exitCode(pod);
        if (exitCode != null) {
            writeStatus(resource, PodStatuses.finished(pod, node, pod.getStatus().getPodIP(), exitCode, clock.instant()));
            ips.release(uid);
        }
    }

    private static void writeStatus(io.fabric8.kubernetes.client.dsl.PodResource resource, PodStatus status) {
        try {
            resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(Map.of("status", status)));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static Integer exitCode(Pod pod) {
        Map<String, String> a = pod.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(EXIT_CODE_ANNOTATION);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            log.warn("pod {}/{}: {} is not an integer: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    EXIT_CODE_ANNOTATION, v);
            return null;
        }
    }

    private SimulatedNode nodeOf(Pod pod) {
        String n = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return n == null ? null : nodes.get(n);
    }

    private static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    int queued() {
        return queue.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        queue.close();
        informer.close();
        List<Thread> ws;
        synchronized (workers) {
            ws = List.copyOf(workers);
        }
        for (Thread w : ws) {
            w.join();
        }
    }
}
