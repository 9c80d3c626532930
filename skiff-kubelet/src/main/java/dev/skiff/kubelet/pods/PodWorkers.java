package dev.skiff.kubelet.pods;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.Ticker;
import dev.skiff.kubelet.cri.ContainerSummary;
import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.SandboxSummary;
import dev.skiff.kubelet.prober.ProbeKind;
import dev.skiff.kubelet.prober.ProbeResult;
import dev.skiff.kubelet.prober.Prober;
import dev.skiff.kubelet.status.PodStatusWriter;
import dev.skiff.kubelet.volumes.PodVolumes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of this node, each driven by its own worker (upstream's pod_workers.go): an informer on
 * pods with {@code spec.nodeName=<node>} feeds the desired state, and a relist of the whole CRI
 * state every {@link KubeletConfig#relistInterval()} (upstream's PLEG) wakes the worker of every
 * pod whose sandboxes or containers changed, and tears down what belongs to no pod.
 *
 * <p>Owns the informer, the relist thread and one virtual thread per pod; {@link #close()} stops
 * them and leaves the pods' containers running, as a kubelet restart does.
 */
public final class PodWorkers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

  private final KubeletConfig config;
  private final CriConnection cri;
  private final PodSyncer syncer;
  private final LifecycleHooks hooks;
  private final Prober prober;
  private final PodVolumes volumes;
  private final SharedIndexInformer<Pod> informer;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final Map<String, String> fingerprints = new HashMap<>();
  private final Ticker relist;
  private volatile boolean closed;

  /** Starts the informer, waits for its first list, and starts relisting. */
  public PodWorkers(KubernetesClient client, KubeletConfig config, CriConnection cri, PodStatusWriter statuses,
      String nodeIp) {
    this.config = Objects.requireNonNull(config, "config");
    this.cri = Objects.requireNonNull(cri, "cri");
    PodEvents events = new PodEvents(client, config.nodeName());
    this.prober = new Prober(cri, this::wakeWorker, new Prober.ResultListener() {
      @Override
      public void changed(Pod pod, Container container, ProbeKind kind, ProbeResult result, String detail) {
        if (result == ProbeResult.FAILURE) {
          events.warning(pod, container, "Unhealthy", kind.display() + " probe failed: " + detail);
        }
      }

      @Override
      public void errored(Pod pod, Container container, ProbeKind kind, String detail) {
        events.warning(pod, container, "Unhealthy", kind.display() + " probe errored: " + detail);
      }
    });
    this.volumes = new PodVolumes(client, config.dataDir().resolve("pods"));
    this.hooks = new LifecycleHooks(cri);
    this.syncer = new PodSyncer(client, config, cri, statuses, nodeIp, prober, volumes, events, hooks);
    this.informer = client.pods().inAnyNamespace()
        .withField("spec.nodeName", config.nodeName())
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            desired(pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            desired(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            gone(pod.getMetadata().getUid());
          }
        }, 0);
    this.relist = new Ticker("pod-relist", config.relistInterval(), this::relistOnce);
  }

  private void desired(Pod pod) {
    if (closed) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    workers.computeIfAbsent(uid, u -> new PodWorker(u, syncer, this::finished)).update(pod);
  }

  private void gone(String uid) {
    PodWorker worker = workers.get(uid);
    if (worker != null) {
      worker.update(null);
    }
  }

  private void wakeWorker(String uid) {
    PodWorker worker = workers.get(uid);
    if (worker != null) {
      worker.wake();
    }
  }

  private void finished(String uid) {
    workers.remove(uid);
  }

  /** The pods whose workers run now, by UID. */
  public int activeWorkers() {
    return workers.size();
  }

  /** One relist: wakes the worker of each pod whose runtime state changed; starts cleanup of orphans. */
  void relistOnce() {
    Map<String, StringBuilder> now = new HashMap<>();
    for (SandboxSummary s : cri.runtime().listPodSandboxes()) {
      String uid = s.labels().get(RuntimeLabels.POD_UID);
      if (uid != null) {
        now.computeIfAbsent(uid, u -> new StringBuilder()).append(s.id()).append(s.state()).append(';');
      }
    }
    for (ContainerSummary c : cri.runtime().listContainers(Optional.empty())) {
      String uid = c.labels().get(RuntimeLabels.POD_UID);
      if (uid != null) {
        now.computeIfAbsent(uid, u -> new StringBuilder()).append(c.id()).append(c.state()).append(';');
      }
    }
    boolean synced = informer.hasSynced();
    for (var e : now.entrySet()) {
      String uid = e.getKey();
      String fingerprint = e.getValue().toString();
      boolean changed = !fingerprint.equals(fingerprints.put(uid, fingerprint));
      PodWorker worker = workers.get(uid);
      if (worker != null) {
        if (changed) {
          worker.wake();
        }
      } else if (synced && !informerHolds(uid)) {
        // the runtime holds a pod the API does not give this node (deleted while the kubelet was away)
        LOG.info("runtime holds pod {} that is not ours any more: tearing it down", uid);
        workers.computeIfAbsent(uid, u -> new PodWorker(u, syncer, this::finished)).update(null);
      }
    }
    fingerprints.keySet().retainAll(now.keySet());
    if (synced) {
      // volumes of pods that went while the kubelet was away and left nothing in the runtime
      for (String uid : volumes.podsWithVolumes()) {
        if (!now.containsKey(uid) && !workers.containsKey(uid) && !informerHolds(uid)) {
          LOG.info("pod {} is gone: removing the volumes it left", uid);
          volumes.tearDown(uid);
        }
      }
    }
  }

  private boolean informerHolds(String uid) {
    return informer.getStore().list().stream().anyMatch(p -> uid.equals(p.getMetadata().getUid()));
  }

  @Override
  public void close() {
    closed = true;
    informer.close();
    relist.close();
    List<PodWorker> all = List.copyOf(workers.values());
    all.forEach(PodWorker::stop);
    for (PodWorker w : all) {
      w.join(Duration.ofSeconds(5));
    }
    prober.close();
    hooks.close();
  }
}
