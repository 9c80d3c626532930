package dev.skiff.kubelet.pods;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.cri.ContainerState;
import dev.skiff.kubelet.cri.ContainerStatus;
import dev.skiff.kubelet.cri.ContainerSummary;
import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.CriException;
import dev.skiff.kubelet.cri.PodSandboxSpec;
import dev.skiff.kubelet.cri.SandboxState;
import dev.skiff.kubelet.cri.SandboxStatus;
import dev.skiff.kubelet.cri.SandboxSummary;
import dev.skiff.kubelet.prober.ProbeKind;
import dev.skiff.kubelet.prober.Prober;
import dev.skiff.kubelet.status.ContainerWaiting;
import dev.skiff.kubelet.status.ObservedPod;
import dev.skiff.kubelet.status.PodStatusGenerator;
import dev.skiff.kubelet.status.PodStatusWriter;
import dev.skiff.kubelet.status.Sidecars;
import dev.skiff.kubelet.volumes.PodVolumes;
import dev.skiff.kubelet.volumes.VolumeError;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one pod: compares the desired pod with what the runtime holds and acts, as
 * upstream's SyncPod / SyncTerminatingPod (kuberuntime_manager.go computePodActions): a sandbox
 * when there is none, init containers one after the other, then the containers, restarts per
 * restartPolicy with crash-loop back-off, and on deletion a stop within the grace period. Each
 * sync ends by posting the pod's status if it changed. Stateless apart from per-pod waiting
 * reasons; thread-safe for distinct pods.
 */
final class PodSyncer {

  private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
  /** How often a pod with configMap, secret, downwardAPI or projected volumes has them refreshed. */
  private static final Duration VOLUME_REFRESH = Duration.ofSeconds(5);
  /** How soon a pod whose volumes failed tries again. */
  private static final Duration VOLUME_RETRY = Duration.ofSeconds(2);
  /** Upstream's default terminationGracePeriodSeconds. */
  private static final long DEFAULT_GRACE_SECONDS = 30;

  /** What a sync asks of its worker next. */
  sealed interface Outcome {
    /** Sync again after {@code delay} at the latest (a back-off ends), or on the next event. */
    record Again(Optional<Duration> delay) implements Outcome {}

    /** The pod is gone from node and API: the worker ends. */
    record Finished() implements Outcome {}
  }

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final CriConnection cri;
  private final PodStatusWriter statuses;
  private final EnvResolver env;
  private final CrashBackOff backOff;
  private final String nodeIp;
  private final Map<String, Map<String, ContainerWaiting>> waiting = new ConcurrentHashMap<>();
  private final Map<String, Map<String, PodVolumes.VolumePath>> volumePaths = new ConcurrentHashMap<>();
  private final Prober prober;
  private final PodVolumes volumes;
  private final PodEvents events;
  private final LifecycleHooks hooks;

  PodSyncer(KubernetesClient client, KubeletConfig config, CriConnection cri, PodStatusWriter statuses, String nodeIp,
      Prober prober, PodVolumes volumes, PodEvents events, LifecycleHooks hooks) {
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.prober = Objects.requireNonNull(prober, "prober");
    this.events = Objects.requireNonNull(events, "events");
    this.volumes = Objects.requireNonNull(volumes, "volumes");
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.cri = Objects.requireNonNull(cri, "cri");
    this.statuses = Objects.requireNonNull(statuses, "statuses");
    this.env = new EnvResolver(client);
    this.backOff = new CrashBackOff(config.initialBackOff(), config.maxBackOff());
    this.nodeIp = Objects.requireNonNull(nodeIp, "nodeIp");
  }

  /**
   * Syncs the pod with {@code uid}; {@code pod} is its latest desired state, or null when it is
   * gone from the API (the runtime's remains are then torn down).
   */
  Outcome sync(String uid, Pod pod) {
    ObservedPod observed = inspect(uid);
    if (pod == null) {
      LOG.info("pod {} is gone from the API: removing its sandboxes", uid);
      teardown(observed, Duration.ZERO);
      forget(uid);
      return new Outcome.Finished();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return terminate(pod, observed);
    }
    Map<String, ContainerWaiting> held = waiting.computeIfAbsent(uid, k -> new ConcurrentHashMap<>());
    PodStatus previous = statuses.last(uid).orElse(pod.getStatus());
    boolean terminal = PodStatusGenerator.isTerminal(previous == null ? null : previous.getPhase())
        || PodStatusGenerator.isTerminal(pod.getStatus() == null ? null : pod.getStatus().getPhase());
    if (terminal) {
      // a finished pod keeps its containers (for their statuses and logs) but runs nothing
      prober.forget(uid);
      stopSandboxes(observed);
      if (!observed.sandboxes().isEmpty()) {
        post(pod, previous, inspect(uid), held);
      }
      return new Outcome.Again(Optional.empty());
    }
    Instant now = Instant.now();
    List<Duration> retries = new ArrayList<>();
    try {
      // every sync: configMap, secret and downwardAPI volumes follow their sources
      volumePaths.put(uid, volumes.setUp(pod));
    } catch (VolumeError e) {
      LOG.warn("pod {}/{}: volumes not ready: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          e.getMessage());
      if (!volumePaths.containsKey(uid)) {
        events.warning(pod, null, "FailedMount", e.getMessage());
        for (Container c : CriSpecs.allContainers(pod)) {
          held.putIfAbsent(c.getName(), new ContainerWaiting("ContainerCreating", e.getMessage()));
        }
        post(pod, previous, observed, held);
        return new Outcome.Again(Optional.of(VOLUME_RETRY));
      }
    }
    if (!observed.sandboxReady()) {
      post(pod, previous, observed, held);
      observed = createSandbox(pod, observed);
    }
    if (killUnhealthy(pod, observed)) {
      observed = inspect(uid);
    }
    boolean acted;
    if (regularContainersDone(pod, observed)) {
      // upstream's KillPod: a Job's sidecars must not keep it alive once its containers are done
      acted = stopSidecars(pod, observed, Duration.ofSeconds(graceSeconds(pod, null)));
    } else {
      // a sidecar that has started lets the next init container start in the same sync
      acted = false;
      for (int step = 0; step <= Sidecars.inits(pod).size(); step++) {
        if (!syncInitContainers(pod, observed, held, now, retries)) {
          break;
        }
        acted = true;
        observed = inspect(uid);
      }
      if (initialized(pod, observed)) {
        acted |= startContainers(pod, observed, held, now, retries);
      }
    }
    if (acted) {
      observed = inspect(uid);
    }
    prober.sync(pod, observed);
    PodStatus status = post(pod, previous, observed, held);
    if (PodStatusGenerator.isTerminal(status.getPhase())) {
      LOG.info("pod {}/{} is {}: stopping its sandbox", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), status.getPhase());
      stopSandboxes(observed);
      post(pod, status, inspect(uid), held);
    }
    if (PodVolumes.refreshable(pod)) {
      retries.add(VOLUME_REFRESH);
    }
    return new Outcome.Again(retries.stream().min(Comparator.naturalOrder()));
  }

  /**
   * Kills each running container whose liveness or startup probe failed (upstream's
   * computePodActions); the next step restarts it per restartPolicy, with back-off.
   */
  private boolean killUnhealthy(Pod pod, ObservedPod observed) {
    boolean killed = false;
    List<Container> probed = new ArrayList<>(Sidecars.of(pod));
    probed.addAll(pod.getSpec().getContainers());
    for (Container c : probed) {
      var running = observed.latest(c.getName()).filter(s -> s.state() == ContainerState.RUNNING);
      if (running.isEmpty()) {
        continue;
      }
      var unhealthy = prober.unhealthy(pod.getMetadata().getUid(), c, running.get().id());
      if (unhealthy.isPresent()) {
        LOG.info("pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
            unhealthy.get().message());
        events.normal(pod, c, "Killing", unhealthy.get().message());
        var probe = unhealthy.get().kind() == ProbeKind.STARTUP ? c.getStartupProbe() : c.getLivenessProbe();
        stopContainer(pod, c, running.get().id(), podIp(observed), Duration.ofSeconds(graceSeconds(pod, probe)));
        killed = true;
      }
    }
    return killed;
  }

  /** The failed probe's terminationGracePeriodSeconds wins over the pod's. */
  private static long graceSeconds(Pod pod, io.fabric8.kubernetes.api.model.Probe probe) {
    Long podGrace = pod.getSpec().getTerminationGracePeriodSeconds();
    Long probeGrace = probe == null ? null : probe.getTerminationGracePeriodSeconds();
    return probeGrace != null ? probeGrace : podGrace != null ? podGrace : DEFAULT_GRACE_SECONDS;
  }

  private PodStatus post(Pod pod, PodStatus previous, ObservedPod observed, Map<String, ContainerWaiting> held) {
    PodStatus status = PodStatusGenerator.generate(pod, previous, observed, held, nodeIp, Instant.now(), prober);
    statuses.write(pod, status);
    return status;
  }

  private ObservedPod createSandbox(Pod pod, ObservedPod observed) {
    // a sandbox that died takes its containers with it: clear them away and start over
    teardown(observed, Duration.ZERO);
    int attempt = observed.sandboxes().stream().mapToInt(SandboxSummary::attempt).max().orElse(-1) + 1;
    var logDir = config.podLogDirectory(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        pod.getMetadata().getUid());
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    long begin = System.nanoTime();
    String id = cri.runtime().runPodSandbox(CriSpecs.sandbox(pod, attempt, logDir));
    LOG.info("pod {}/{}: sandbox {} (attempt {}) in {} ms", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), id.substring(0, 12), attempt, (System.nanoTime() - begin) / 1_000_000);
    return inspect(pod.getMetadata().getUid());
  }

  /**
   * Upstream's computeInitContainerActions: starts the first init container that has not run,
   * restarts a failed one (unless restartPolicy is Never), and moves past a sidecar once it has
   * started (its startup probe passed, if it has one). Sidecars that exited are restarted with
   * back-off whatever the pod's restartPolicy, also once the regular containers run. True when it
   * created a container.
   */
  private boolean syncInitContainers(Pod pod, ObservedPod observed, Map<String, ContainerWaiting> held,
      Instant now, List<Duration> retries) {
    boolean previouslyInitialized = previouslyInitialized(pod, observed);
    boolean acted = false;
    for (Container c : Sidecars.inits(pod)) {
      boolean sidecar = Sidecars.is(c);
      if (previouslyInitialized && !sidecar) {
        continue; // after initialization only the sidecars are kept running
      }
      Optional<ContainerStatus> latest = observed.latest(c.getName());
      if (latest.isEmpty()) {
        return start(pod, c, 0, observed, held) || acted;
      }
      ContainerStatus s = latest.get();
      switch (s.state()) {
        case RUNNING -> {
          if (!sidecar || !prober.started(pod.getMetadata().getUid(), c, s.id())) {
            if (!previouslyInitialized) {
              return acted; // wait for it to finish, or for the sidecar's startup probe
            }
          }
        }
        case EXITED -> {
          if (sidecar) {
            acted |= restart(pod, c, s, observed, held, now, retries);
            if (!previouslyInitialized) {
              return acted;
            }
          } else if (s.exitCode() != 0) {
            return !"Never".equals(pod.getSpec().getRestartPolicy())
                && restart(pod, c, s, observed, held, now, retries);
          }
        }
        default -> {
          if (!previouslyInitialized) {
            return acted; // created but not started yet, or unknown: wait
          }
        }
      }
    }
    return acted;
  }

  /**
   * Upstream's "has any regular container been created": from then on the pod counts as
   * initialized, and a restarting sidecar holds nothing back.
   */
  private static boolean previouslyInitialized(Pod pod, ObservedPod observed) {
    return pod.getSpec().getContainers().stream().anyMatch(c -> observed.latest(c.getName()).isPresent());
  }

  /** Init containers done: each plain one exited 0, each sidecar running and started. */
  private boolean initialized(Pod pod, ObservedPod observed) {
    if (previouslyInitialized(pod, observed)) {
      return true;
    }
    String uid = pod.getMetadata().getUid();
    return Sidecars.inits(pod).stream().allMatch(c -> observed.latest(c.getName())
        .filter(s -> Sidecars.is(c)
            ? s.state() == ContainerState.RUNNING && prober.started(uid, c, s.id())
            : s.state() == ContainerState.EXITED && s.exitCode() == 0)
        .isPresent());
  }

  /**
   * Whether the regular containers of a Never or OnFailure pod have all ended for good (upstream's
   * keepCount == 0), so that only sidecars would keep the pod alive.
   */
  private static boolean regularContainersDone(Pod pod, ObservedPod observed) {
    String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    if (policy.equals("Always") || Sidecars.of(pod).isEmpty()) {
      return false;
    }
    return pod.getSpec().getContainers().stream().allMatch(c -> observed.latest(c.getName())
        .filter(s -> s.state() == ContainerState.EXITED && (policy.equals("Never") || s.exitCode() == 0))
        .isPresent());
  }

  /**
   * Stops the pod's running sidecars one after the other, the last started first, sharing
   * {@code grace} (upstream's termination ordering); true when it stopped any.
   */
  private boolean stopSidecars(Pod pod, ObservedPod observed, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    boolean stopped = false;
    for (Container c : Sidecars.of(pod).reversed()) {
      var running = observed.latest(c.getName())
          .filter(s -> s.state() == ContainerState.RUNNING || s.state() == ContainerState.CREATED);
      if (running.isEmpty()) {
        continue;
      }
      // upstream's minimumGracePeriodInSeconds: each sidecar gets at least 2 s
      Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(2).toNanos()));
      LOG.info("pod {}/{}: stopping sidecar {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          c.getName());
      stopContainer(pod, c, running.get().id(), podIp(observed), Duration.ofSeconds(Math.max(1, left.toSeconds())));
      stopped = true;
    }
    return stopped;
  }

  private boolean startContainers(Pod pod, ObservedPod observed, Map<String, ContainerWaiting> held, Instant now,
      List<Duration> retries) {
    boolean acted = false;
    String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    for (Container c : pod.getSpec().getContainers()) {
      Optional<ContainerStatus> latest = observed.latest(c.getName());
      if (latest.isEmpty()) {
        acted |= start(pod, c, 0, observed, held);
        continue;
      }
      ContainerStatus s = latest.get();
      if (s.state() == ContainerState.EXITED
          && (policy.equals("Always") || (policy.equals("OnFailure") && s.exitCode() != 0))) {
        acted |= restart(pod, c, s, observed, held, now, retries);
      }
    }
    return acted;
  }

  /** Restarts an exited container unless it is in back-off, in which case it waits as CrashLoopBackOff. */
  private boolean restart(Pod pod, Container c, ContainerStatus exited, ObservedPod observed,
      Map<String, ContainerWaiting> held, Instant now, List<Duration> retries) {
    String key = pod.getMetadata().getUid() + "/" + c.getName();
    Duration left = backOff.remaining(key, exited.finishedAt().orElse(now), now);
    if (!left.isZero()) {
      ContainerWaiting before = held.get(c.getName());
      if (before == null || !before.reason().equals("CrashLoopBackOff")) {
        events.warning(pod, c, "BackOff", "Back-off restarting failed container " + c.getName() + " in pod "
            + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid()
            + ")");
      }
      held.put(c.getName(), new ContainerWaiting("CrashLoopBackOff", "back-off %ds restarting failed container=%s pod=%s_%s(%s)"
          .formatted(backOff.delay(key).toSeconds(), c.getName(), pod.getMetadata().getName(),
              pod.getMetadata().getNamespace(), pod.getMetadata().getUid())));
      retries.add(left);
      return false;
    }
    backOff.restarted(key, now);
    // the exited attempt stays for lastState; the one before it is of no more use
    observed.previous(c.getName()).ifPresent(p -> cri.runtime().removeContainer(p.id()));
    return start(pod, c, exited.attempt() + 1, observed, held);
  }

  /** Ensures the image and creates and starts attempt {@code attempt} of {@code c}; false when it is held back. */
  private boolean start(Pod pod, Container c, int attempt, ObservedPod observed, Map<String, ContainerWaiting> held) {
    Optional<ContainerWaiting> imageProblem = ensureImage(pod, c);
    if (imageProblem.isPresent()) {
      held.put(c.getName(), imageProblem.get());
      return false;
    }
    SandboxStatus sandbox = observed.latestSandbox().orElseThrow();
    List<dev.skiff.kubelet.cri.EnvVar> environment;
    try {
      environment = env.resolve(pod, c, sandbox.ip().orElse(""), nodeIp);
    } catch (EnvResolver.ConfigError e) {
      held.put(c.getName(), new ContainerWaiting("CreateContainerConfigError", e.getMessage()));
      return false;
    }
    var logDir = config.podLogDirectory(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        pod.getMetadata().getUid());
    PodSandboxSpec sandboxSpec = CriSpecs.sandbox(pod, sandbox.attempt(), logDir);
    List<dev.skiff.kubelet.cri.Mount> mounts;
    try {
      Map<String, String> vars = new HashMap<>();
      environment.forEach(v -> vars.put(v.name(), v.value()));
      mounts = PodVolumes.mounts(c, volumePaths.getOrDefault(pod.getMetadata().getUid(), Map.of()),
          expr -> EnvResolver.expand(expr, vars));
    } catch (VolumeError e) {
      held.put(c.getName(), new ContainerWaiting("CreateContainerConfigError", e.getMessage()));
      return false;
    }
    long t0 = System.nanoTime();
    String id;
    try {
      id = cri.runtime().createContainer(sandbox.id(), CriSpecs.container(pod, c, attempt, environment, mounts),
          sandboxSpec);
    } catch (CriException e) {
      held.put(c.getName(), new ContainerWaiting("CreateContainerError", e.getMessage()));
      events.warning(pod, c, "Failed", "Error: " + e.getMessage());
      return false;
    }
    long t1 = System.nanoTime();
    held.remove(c.getName());
    events.normal(pod, c, "Created", "Created container " + c.getName());
    try {
      cri.runtime().startContainer(id);
      events.normal(pod, c, "Started", "Started container " + c.getName());
      runPostStart(pod, c, id, sandbox.ip().orElse(""));
    } catch (CriException e) {
      // the container stays, exited with the runtime's reason (StartError), and is restarted per policy
      LOG.warn("starting container {} of {}/{} failed: {}", c.getName(), pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), e.getMessage());
    }
    LOG.info("pod {}/{}: container {} attempt {} created in {} ms, started in {} ms",
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), c.getName(), attempt,
        (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    return true;
  }

  /** Upstream's image puller: pull per imagePullPolicy (Always for :latest or untagged images). */
  private Optional<ContainerWaiting> ensureImage(Pod pod, Container c) {
    String image = c.getImage();
    String policy = c.getImagePullPolicy();
    if (policy == null || policy.isEmpty()) {
      String last = image.substring(image.lastIndexOf('/') + 1);
      boolean latest = !last.contains(":") || last.endsWith(":latest");
      policy = latest && !image.contains("@") ? "Always" : "IfNotPresent";
    }
    boolean present = cri.images().imageStatus(image).isPresent();
    if (present && !policy.equals("Always")) {
      events.normal(pod, c, "Pulled", "Container image \"" + image + "\" already present on machine");
      return Optional.empty();
    }
    if (policy.equals("Never")) {
      return Optional.of(new ContainerWaiting("ErrImageNeverPull",
          "Container image \"" + image + "\" is not present with pull policy of Never"));
    }
    try {
      cri.images().pullImage(image);
      return Optional.empty();
    } catch (CriException e) {
      if (present) {
        // Always with no registry to reach: the local copy will do (Skiff's nodes import their images)
        LOG.debug("pull of {} failed, using the local image: {}", image, e.getMessage());
        return Optional.empty();
      }
      return Optional.of(new ContainerWaiting("ErrImagePull", e.getMessage()));
    }
  }

  /**
   * A pod being deleted: stops its containers within the grace period, removes its sandboxes,
   * posts the final status, and deletes the pod object for good (grace 0), as upstream's kubelet
   * does once the pod has terminated.
   */
  private Outcome terminate(Pod pod, ObservedPod observed) {
    String uid = pod.getMetadata().getUid();
    long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null
        ? pod.getMetadata().getDeletionGracePeriodSeconds()
        : pod.getSpec().getTerminationGracePeriodSeconds() != null
            ? pod.getSpec().getTerminationGracePeriodSeconds() : DEFAULT_GRACE_SECONDS;
    long begin = System.nanoTime();
    prober.forget(uid);
    // regular containers first, all at once; then the sidecars, in reverse, with what is left of the grace
    Set<String> sidecars = Sidecars.of(pod).stream().map(Container::getName).collect(Collectors.toSet());
    stopContainers(pod, observed, Duration.ofSeconds(Math.max(grace, 0)), name -> !sidecars.contains(name));
    if (!sidecars.isEmpty()) {
      long spent = (System.nanoTime() - begin) / 1_000_000_000;
      stopSidecars(pod, inspect(uid), Duration.ofSeconds(Math.max(grace - spent, 0)));
    }
    stopSandboxes(observed);
    PodStatus previous = statuses.last(uid).orElse(pod.getStatus());
    PodStatus last = PodStatusGenerator.generate(pod, previous, inspect(uid), Map.of(), nodeIp, Instant.now());
    if (!PodStatusGenerator.isTerminal(last.getPhase())) {
      // upstream: a pod that was deleted while running ends Failed, unless all its containers succeeded
      boolean allSucceeded = last.getContainerStatuses().stream().allMatch(s -> s.getState().getTerminated() != null
          && s.getState().getTerminated().getExitCode() == 0);
      last.setPhase(allSucceeded ? "Succeeded" : "Failed");
    }
    statuses.write(pod, last);
    teardown(observed, Duration.ZERO);
    LOG.info("pod {}/{} terminated in {} ms (grace {} s)", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), (System.nanoTime() - begin) / 1_000_000, grace);
    try {
      Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName()).get();
      if (current != null && uid.equals(current.getMetadata().getUid())) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    forget(uid);
    return new Outcome.Finished();
  }

  /**
   * Stops the running containers of the pod named as {@code which} accepts at once, each with
   * {@code grace} before SIGKILL, after its preStop hook when {@code pod} (the spec) is known.
   */
  private void stopContainers(Pod pod, ObservedPod observed, Duration grace, Predicate<String> which) {
    List<ContainerStatus> running = observed.containers().values().stream().flatMap(List::stream)
        .filter(c -> c.state() == ContainerState.RUNNING || c.state() == ContainerState.CREATED)
        .filter(c -> which.test(c.name())).toList();
    if (running.isEmpty()) {
      return;
    }
    try (var stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (ContainerStatus c : running) {
        stoppers.submit(() -> {
          Container spec = pod == null ? null : containerSpec(pod, c.name());
          if (spec == null) {
            cri.runtime().stopContainer(c.id(), grace);
          } else {
            stopContainer(pod, spec, c.id(), podIp(observed), grace);
          }
          return null;
        });
      }
    }
  }

  /** Upstream's minimumGracePeriodInSeconds: what a container gets after its preStop hook, at least. */
  private static final Duration MIN_GRACE_AFTER_HOOK = Duration.ofSeconds(2);
  /** A postStart hook has no deadline upstream; here it may not hold the pod's worker forever. */
  private static final Duration POST_START_LIMIT = Duration.ofMinutes(2);

  /**
   * Runs {@code c}'s postStart hook, as upstream right after the start; a failed hook is reported
   * (FailedPostStartHook) and the container killed, to be restarted as its policy says.
   */
  private void runPostStart(Pod pod, Container c, String containerId, String podIp) {
    if (c.getLifecycle() == null || c.getLifecycle().getPostStart() == null) {
      return;
    }
    var failure = hooks.run(pod, c, containerId, podIp, c.getLifecycle().getPostStart(), POST_START_LIMIT);
    if (failure.isPresent()) {
      events.warning(pod, c, "FailedPostStartHook", failure.get());
      events.normal(pod, c, "Killing", "FailedPostStartHook");
      cri.runtime().stopContainer(containerId, Duration.ofSeconds(graceSeconds(pod, null)));
    }
  }

  /**
   * Stops one container: its preStop hook first (bounded by {@code grace}, a failure reported as
   * FailedPreStopHook), then SIGTERM with what is left of the grace (at least 2 s), then SIGKILL.
   */
  private void stopContainer(Pod pod, Container c, String containerId, String podIp, Duration grace) {
    Duration left = grace;
    if (c.getLifecycle() != null && c.getLifecycle().getPreStop() != null && grace.isPositive()) {
      long begin = System.nanoTime();
      hooks.run(pod, c, containerId, podIp, c.getLifecycle().getPreStop(), grace)
          .ifPresent(failure -> events.warning(pod, c, "FailedPreStopHook", failure));
      left = grace.minusNanos(System.nanoTime() - begin);
      if (left.compareTo(MIN_GRACE_AFTER_HOOK) < 0) {
        left = MIN_GRACE_AFTER_HOOK;
      }
    }
    cri.runtime().stopContainer(containerId, left);
  }

  private static Container containerSpec(Pod pod, String name) {
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    return all.stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
  }

  private static String podIp(ObservedPod observed) {
    return observed.latestSandbox().flatMap(SandboxStatus::ip).orElse("");
  }

  private void stopSandboxes(ObservedPod observed) {
    for (SandboxSummary s : observed.sandboxes()) {
      if (s.state() == SandboxState.READY) {
        cri.runtime().stopPodSandbox(s.id());
      }
    }
  }

  /** Stops (with {@code grace}) and removes everything the runtime holds of the pod. */
  void teardown(ObservedPod observed, Duration grace) {
    stopContainers(null, observed, grace, name -> true);
    for (SandboxSummary s : observed.sandboxes()) {
      cri.runtime().stopPodSandbox(s.id());
      cri.runtime().removePodSandbox(s.id());
    }
  }

  private void forget(String uid) {
    prober.forget(uid);
    volumes.tearDown(uid);
    volumePaths.remove(uid);
    waiting.remove(uid);
    statuses.forget(uid);
    backOff.forget(uid + "/");
  }

  /** What the runtime holds of the pod with {@code uid}, found by upstream's pod-UID label. */
  ObservedPod inspect(String uid) {
    // filtered by the runtime: each sync inspects its pod several times, and a node may hold 110 pods
    Map<String, String> ofPod = Map.of(RuntimeLabels.POD_UID, uid);
    List<SandboxSummary> sandboxes = cri.runtime().listPodSandboxes(ofPod).stream()
        .sorted(Comparator.comparing(SandboxSummary::createdAt).reversed())
        .toList();
    if (sandboxes.isEmpty()) {
      return ObservedPod.NONE;
    }
    Optional<SandboxStatus> latest;
    try {
      latest = Optional.of(cri.runtime().podSandboxStatus(sandboxes.getFirst().id()));
    } catch (CriException e) {
      if (!e.notFound()) {
        throw e;
      }
      latest = Optional.empty();
    }
    Map<String, List<ContainerStatus>> containers = new HashMap<>();
    for (ContainerSummary c : cri.runtime().listContainers(ofPod)) {
      try {
        ContainerStatus status = cri.runtime().containerStatus(c.id());
        containers.computeIfAbsent(status.name(), k -> new ArrayList<>()).add(status);
      } catch (CriException e) {
        if (!e.notFound()) {
          throw e;
        }
      }
    }
    containers.values().forEach(list -> list.sort(Comparator.comparing(ContainerStatus::createdAt).reversed()));
    return new ObservedPod(sandboxes, latest, containers);
  }
}
