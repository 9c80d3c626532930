package dev.skiff.kubelet.status;

import dev.skiff.kubelet.cri.ContainerState;
import dev.skiff.kubelet.cri.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a pod's API status from what the runtime holds, as upstream's kubelet does in
 * generateAPIPodStatus, getPhase and status/generate.go: phase, the five conditions, IPs, start
 * time, QoS class and the status of every (init) container.
 *
 * <p>Times the status carries over from {@code pod.status}: startTime, the PodScheduled condition,
 * and each condition's lastTransitionTime while its status stays the same. A terminal phase never
 * changes again.
 */
public final class PodStatusGenerator {

  private PodStatusGenerator() {}

  /**
   * The status of {@code pod} given the runtime's state.
   *
   * @param previous the status last posted (or the API's), which times and terminal phases carry over from
   * @param waiting why containers are held back, by container name
   * @param hostIp the node's InternalIP
   */
  public static PodStatus generate(Pod pod, PodStatus previous, ObservedPod observed,
      Map<String, ContainerWaiting> waiting, String hostIp, Instant now) {
    return generate(pod, previous, observed, waiting, hostIp, now, ContainerProbes.NONE);
  }

  /**
   * The status of {@code pod} given the runtime's state and its containers' probes, which decide
   * each running container's ready and started fields (and so the Ready conditions).
   */
  public static PodStatus generate(Pod pod, PodStatus previous, ObservedPod observed,
      Map<String, ContainerWaiting> waiting, String hostIp, Instant now, ContainerProbes probes) {
    PodStatus old = previous == null ? new PodStatus() : previous;
    String timestamp = time(now);
    var spec = pod.getSpec();
    List<Container> inits = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    boolean hasInits = !inits.isEmpty();
    String defaultWaiting = hasInits ? "PodInitializing" : "ContainerCreating";

    List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
    for (Container c : inits) {
      var status = containerStatus(pod, c, observed, waiting, defaultWaiting,
          Sidecars.is(c) ? probes : ContainerProbes.NONE);
      if (!Sidecars.is(c)) {
        // upstream: a plain init container is ready once it has succeeded, not while it runs
        var ended = status.getState().getTerminated();
        status.setReady(ended != null && ended.getExitCode() == 0);
      }
      initStatuses.add(status);
    }
    List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
    for (Container c : spec.getContainers()) {
      statuses.add(containerStatus(pod, c, observed, waiting, defaultWaiting, probes));
    }

    String restartPolicy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
    String phase = phase(restartPolicy, inits, initStatuses, statuses);
    if (isTerminal(old.getPhase())) {
      phase = old.getPhase();
    }
    boolean terminal = isTerminal(phase);

    // a sidecar counts as initialized once started; once a regular container was created the pod
    // stays initialized (a restarting sidecar does not undo it), as upstream's
    List<String> incompleteInits = new ArrayList<>();
    for (int i = 0; i < inits.size(); i++) {
      var s = initStatuses.get(i);
      boolean done = Sidecars.is(inits.get(i))
          ? s.getState().getRunning() != null && Boolean.TRUE.equals(s.getStarted())
          : s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() == 0;
      if (!done) {
        incompleteInits.add(s.getName());
      }
    }
    boolean regularCreated = spec.getContainers().stream().anyMatch(c -> observed.latest(c.getName()).isPresent());
    // sidecars count for readiness like regular containers
    List<String> unready = new ArrayList<>();
    for (int i = 0; i < inits.size(); i++) {
      if (Sidecars.is(inits.get(i)) && !initStatuses.get(i).getReady()) {
        unready.add(initStatuses.get(i).getName());
      }
    }
    statuses.stream().filter(s -> !s.getReady()).forEach(s -> unready.add(s.getName()));
    boolean initialized = incompleteInits.isEmpty() || regularCreated || (terminal && "Succeeded".equals(phase));

    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(old, "PodReadyToStartContainers", observed.sandboxReady(), null, null, timestamp));
    conditions.add(initialized
        ? condition(old, "Initialized", true, null, null, timestamp)
        : condition(old, "Initialized", false, "ContainersNotInitialized",
            "containers with incomplete status: [" + String.join(" ", incompleteInits) + "]", timestamp));
    boolean ready = unready.isEmpty() && !terminal;
    String unreadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String unreadyMessage = terminal ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
    conditions.add(ready ? condition(old, "Ready", true, null, null, timestamp)
        : condition(old, "Ready", false, unreadyReason, unreadyMessage, timestamp));
    conditions.add(ready ? condition(old, "ContainersReady", true, null, null, timestamp)
        : condition(old, "ContainersReady", false, unreadyReason, unreadyMessage, timestamp));
    conditions.add(oldCondition(old, "PodScheduled")
        .orElseGet(() -> new PodCondition(null, null, null, null, null, "True", "PodScheduled")));

    var builder = new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions)
        .withHostIP(hostIp)
        .withHostIPs(new HostIP(hostIp))
        .withStartTime(old.getStartTime() != null ? old.getStartTime() : timestamp)
        .withQosClass(qosClass(pod))
        .withInitContainerStatuses(initStatuses)
        .withContainerStatuses(statuses);
    // a stopped sandbox has no IP any more: the pod keeps the one it had, as upstream's does
    Optional<String> ip = observed.podIp().or(() -> Optional.ofNullable(old.getPodIP()));
    ip.ifPresent(a -> builder.withPodIP(a).withPodIPs(new PodIP(a)));
    if (old.getNominatedNodeName() != null) {
      builder.withNominatedNodeName(old.getNominatedNodeName());
    }
    return builder.build();
  }

  /** Succeeded and Failed are final. */
  public static boolean isTerminal(String phase) {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(Pod pod, Container c,
      ObservedPod observed, Map<String, ContainerWaiting> waiting, String defaultWaiting, ContainerProbes probes) {
    var b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
        .withRestartCount(0).withReady(false).withStarted(false);
    Optional<ContainerStatus> latest = observed.latest(c.getName());
    ContainerWaiting held = waiting.get(c.getName());
    if (latest.isEmpty()) {
      ContainerWaiting w = held != null ? held : new ContainerWaiting(defaultWaiting, "");
      return b.withState(waitingState(w)).withNewLastState().endLastState().build();
    }
    ContainerStatus s = latest.get();
    b.withContainerID("containerd://" + s.id()).withImageID(s.imageRef()).withRestartCount(s.attempt())
        .withImage(s.image().isEmpty() ? c.getImage() : s.image());
    Optional<ContainerStatus> previous = observed.previous(c.getName());
    switch (s.state()) {
      case RUNNING -> {
        // the probes decide; without any, a running container is started and ready
        String uid = pod.getMetadata().getUid();
        b.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(s.startedAt().orElse(s.createdAt())))
            .endRunning().build()).withReady(probes.ready(uid, c, s.id()))
            .withStarted(probes.started(uid, c, s.id()));
        b.withLastState(lastState(previous));
      }
      case CREATED, UNKNOWN -> b.withState(waitingState(held != null ? held
          : new ContainerWaiting(s.state() == ContainerState.CREATED ? "ContainerCreating" : "ContainerStatusUnknown", "")))
          .withLastState(lastState(previous));
      case EXITED -> {
        if (held != null) {
          // held back (crash loop): the exit just seen is the last state
          b.withState(waitingState(held)).withLastState(lastState(latest));
        } else {
          b.withState(new ContainerStateBuilder().withTerminated(terminated(s)).build())
              .withLastState(lastState(previous));
        }
      }
    }
    return b.build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState waitingState(ContainerWaiting w) {
    return new ContainerStateBuilder().withNewWaiting()
        .withReason(w.reason()).withMessage(w.message().isEmpty() ? null : w.message()).endWaiting().build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState lastState(Optional<ContainerStatus> previous) {
    return previous.filter(p -> p.state() == ContainerState.EXITED)
        .map(p -> new ContainerStateBuilder().withTerminated(terminated(p)).build())
        .orElseGet(io.fabric8.kubernetes.api.model.ContainerState::new);
  }

  private static ContainerStateTerminated terminated(ContainerStatus s) {
    String reason = s.reason().isEmpty() ? (s.exitCode() == 0 ? "Completed" : "Error") : s.reason();
    return new ContainerStateTerminatedBuilder()
        .withContainerID("containerd://" + s.id())
        .withExitCode(s.exitCode())
        .withReason(reason)
        .withMessage(s.message().isEmpty() ? null : s.message())
        .withStartedAt(s.startedAt().map(PodStatusGenerator::time).orElse(null))
        .withFinishedAt(s.finishedAt().map(PodStatusGenerator::time).orElse(null))
        .build();
  }

  /**
   * Upstream's getPhase (kubelet_pods.go) with sidecars: a plain init container that failed fails a
   * Never pod; sidecars that have not started yet keep the pod Pending, a terminated sidecar is
   * ignored (it was stopped after the regular containers), and only the regular containers decide
   * Succeeded or Failed.
   */
  static String phase(String restartPolicy, List<Container> initSpecs,
      List<io.fabric8.kubernetes.api.model.ContainerStatus> inits,
      List<io.fabric8.kubernetes.api.model.ContainerStatus> containers) {
    int pendingInit = 0;
    int pendingSidecars = 0;
    int failedInit = 0;
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (int i = 0; i < inits.size(); i++) {
      var s = inits.get(i);
      var state = s.getState();
      boolean lastFailed = s.getLastState() != null && s.getLastState().getTerminated() != null;
      if (Sidecars.is(initSpecs.get(i))) {
        if (state.getRunning() != null) {
          if (!Boolean.TRUE.equals(s.getStarted())) {
            pendingSidecars++;
          }
          running++;
        } else if (state.getWaiting() != null && !lastFailed) {
          pendingSidecars++;
        }
        continue;
      }
      if (state.getTerminated() != null) {
        if (state.getTerminated().getExitCode() != 0) {
          failedInit++;
        }
      } else if (state.getWaiting() != null && lastFailed && s.getLastState().getTerminated().getExitCode() != 0) {
        failedInit++;
      } else {
        pendingInit++;
      }
    }
    for (var s : containers) {
      var state = s.getState();
      if (state.getRunning() != null) {
        running++;
      } else if (state.getTerminated() != null) {
        stopped++;
        if (state.getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (failedInit > 0 && "Never".equals(restartPolicy)) {
      return "Failed";
    }
    // a sidecar that restarted looks like one that never started: once the regular containers
    // have run, pending sidecars hold nothing back (upstream's podHasInitialized)
    boolean podHasInitialized = waiting < containers.size();
    if (pendingInit > 0 || failedInit > 0 || (pendingSidecars > 0 && !podHasInitialized)) {
      return "Pending";
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if ("Always".equals(restartPolicy)) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      return "Never".equals(restartPolicy) ? "Failed" : "Running";
    }
    return "Pending";
  }

  /** Upstream's qos.GetPodQOS over requests and limits of cpu and memory. */
  static String qosClass(Pod pod) {
    boolean any = false;
    boolean guaranteed = true;
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    for (Container c : all) {
      var r = c.getResources();
      Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      for (String name : List.of("cpu", "memory")) {
        Quantity req = requests.get(name);
        Quantity lim = limits.get(name);
        if ((req != null && req.getNumericalAmount().signum() != 0)
            || (lim != null && lim.getNumericalAmount().signum() != 0)) {
          any = true;
        }
        // a request left out defaults to the limit
        Quantity effective = req != null ? req : lim;
        if (lim == null || effective.getNumericalAmount().compareTo(lim.getNumericalAmount()) != 0) {
          guaranteed = false;
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static PodCondition condition(PodStatus old, String type, boolean status, String reason, String message,
      String now) {
    String value = status ? "True" : "False";
    String transition = oldCondition(old, type)
        .filter(c -> value.equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(PodCondition::getLastTransitionTime).orElse(now);
    return new PodCondition(null, transition, message, null, reason, value, type);
  }

  private static Optional<PodCondition> oldCondition(PodStatus old, String type) {
    return old.getConditions() == null ? Optional.empty()
        : old.getConditions().stream().filter(c -> Objects.equals(c.getType(), type)).findFirst();
  }

  /** RFC 3339 with seconds, as the API's Time. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
