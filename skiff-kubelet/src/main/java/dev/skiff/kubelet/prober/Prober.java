package dev.skiff.kubelet.prober;

import dev.skiff.kubelet.cri.ContainerState;
import dev.skiff.kubelet.cri.ContainerStatus;
import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.status.ContainerProbes;
import dev.skiff.kubelet.status.ObservedPod;
import dev.skiff.kubelet.status.Sidecars;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The liveness, readiness and startup probes of the containers on this node (upstream's
 * prober_manager.go): {@link #sync} starts a {@link ProbeWorker} for each probe of each running
 * container (regular or sidecar) and stops those of containers that no longer run; results are read back by the pod's
 * sync (ready and started for its status, {@link #unhealthy} to kill a container), and each change
 * wakes the pod's worker through {@code wake}.
 *
 * <p>Thread-safe. Owns the probe workers' threads and the probes' HTTP clients; {@link #close()}
 * stops them.
 */
public final class Prober implements ContainerProbes, AutoCloseable {

  private record Key(String podUid, String containerId, ProbeKind kind) {}

  /** Why a container must be killed: its liveness or startup probe failed. */
  public record Unhealthy(ProbeKind kind, String message) {}

  /** Receives each probe result change (for events): pod, container, probe, result, detail. */
  public interface ResultListener {
    void changed(Pod pod, Container container, ProbeKind kind, ProbeResult result, String detail);

    /** The probe could not run (upstream's "probe errored"); its result did not change. */
    default void errored(Pod pod, Container container, ProbeKind kind, String detail) {}
  }

  private final ProbeActions actions;
  private final Consumer<String> wake;
  private final ResultListener listener;
  private final Map<Key, ProbeWorker> workers = new ConcurrentHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();

  /**
   * @param wake called with a pod's UID when one of its probe results changed
   * @param listener told of every result change (Unhealthy events)
   */
  public Prober(CriConnection cri, Consumer<String> wake, ResultListener listener) {
    this.actions = new ProbeActions(cri);
    this.wake = Objects.requireNonNull(wake, "wake");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts the probes of the pod's running containers and stops those of containers that stopped. */
  public void sync(Pod pod, ObservedPod observed) {
    String uid = pod.getMetadata().getUid();
    pods.put(uid, pod);
    Set<Key> live = new HashSet<>();
    // sidecars are probed like the regular containers
    List<Container> probed = new ArrayList<>(Sidecars.of(pod));
    probed.addAll(pod.getSpec().getContainers());
    for (Container c : probed) {
      Optional<ContainerStatus> latest = observed.latest(c.getName()).filter(s -> s.state() == ContainerState.RUNNING);
      if (latest.isEmpty()) {
        continue;
      }
      ContainerStatus s = latest.get();
      String ip = observed.podIp().orElse("");
      for (ProbeKind kind : ProbeKind.values()) {
        Probe probe = probe(c, kind);
        if (probe == null) {
          continue;
        }
        Key key = new Key(uid, s.id(), kind);
        live.add(key);
        workers.computeIfAbsent(key, k -> new ProbeWorker(pod.getMetadata().getNamespace() + "/"
            + pod.getMetadata().getName(), kind, probe, new ProbeTarget(c, s.id(), ip),
            s.startedAt().orElse(s.createdAt()), actions::run, () -> started(uid, c, s.id()),
            new ProbeWorker.Listener() {
              @Override
              public void changed(ProbeWorker w, ProbeResult result, String detail) {
                Prober.this.changed(k, c, result, detail);
              }

              @Override
              public void errored(ProbeWorker w, String detail) {
                Pod current = pods.get(k.podUid());
                if (current != null) {
                  listener.errored(current, c, k.kind(), detail);
                }
              }
            }));
      }
    }
    for (Key key : List.copyOf(workers.keySet())) {
      if (key.podUid().equals(uid) && !live.contains(key)) {
        stop(key);
      }
    }
  }

  private void changed(Key key, Container c, ProbeResult result, String detail) {
    Pod pod = pods.get(key.podUid());
    if (pod != null) {
      listener.changed(pod, c, key.kind(), result, detail);
    }
    wake.accept(key.podUid());
  }

  /** Whether the running container {@code containerId} of the pod must be killed, and why. */
  public Optional<Unhealthy> unhealthy(String podUid, Container c, String containerId) {
    for (ProbeKind kind : List.of(ProbeKind.LIVENESS, ProbeKind.STARTUP)) {
      ProbeWorker w = workers.get(new Key(podUid, containerId, kind));
      if (w != null && w.result() == ProbeResult.FAILURE) {
        return Optional.of(new Unhealthy(kind, "Container " + c.getName() + " failed " + kind.display().toLowerCase(
            java.util.Locale.ROOT) + " probe, will be restarted"));
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean started(String podUid, Container c, String containerId) {
    if (c.getStartupProbe() == null) {
      return true;
    }
    ProbeWorker w = workers.get(new Key(podUid, containerId, ProbeKind.STARTUP));
    return w != null && w.result() == ProbeResult.SUCCESS;
  }

  @Override
  public boolean ready(String podUid, Container c, String containerId) {
    if (!started(podUid, c, containerId)) {
      return false;
    }
    if (c.getReadinessProbe() == null) {
      return true;
    }
    ProbeWorker w = workers.get(new Key(podUid, containerId, ProbeKind.READINESS));
    return w != null && w.result() == ProbeResult.SUCCESS;
  }

  /** Stops every probe of the pod with {@code uid} (it is gone or terminating). */
  public void forget(String uid) {
    pods.remove(uid);
    for (Key key : List.copyOf(workers.keySet())) {
      if (key.podUid().equals(uid)) {
        stop(key);
      }
    }
  }

  private void stop(Key key) {
    ProbeWorker w = workers.remove(key);
    if (w != null) {
      w.close();
    }
  }

  private static Probe probe(Container c, ProbeKind kind) {
    return switch (kind) {
      case LIVENESS -> c.getLivenessProbe();
      case READINESS -> c.getReadinessProbe();
      case STARTUP -> c.getStartupProbe();
    };
  }

  @Override
  public void close() {
    List.copyOf(workers.keySet()).forEach(this::stop);
    actions.close();
  }
}
