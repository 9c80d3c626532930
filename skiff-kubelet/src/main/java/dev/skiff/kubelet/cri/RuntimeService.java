package dev.skiff.kubelet.cri;

import dev.skiff.kubelet.cri.v1.AttachRequest;
import dev.skiff.kubelet.cri.v1.ContainerFilter;
import dev.skiff.kubelet.cri.v1.ExecRequest;
import dev.skiff.kubelet.cri.v1.PortForwardRequest;
import dev.skiff.kubelet.cri.v1.ContainerStatusRequest;
import dev.skiff.kubelet.cri.v1.CreateContainerRequest;
import dev.skiff.kubelet.cri.v1.ListContainersRequest;
import dev.skiff.kubelet.cri.v1.ListPodSandboxRequest;
import dev.skiff.kubelet.cri.v1.PodSandboxFilter;
import dev.skiff.kubelet.cri.v1.PodSandboxStatusRequest;
import dev.skiff.kubelet.cri.v1.RemoveContainerRequest;
import dev.skiff.kubelet.cri.v1.RemovePodSandboxRequest;
import dev.skiff.kubelet.cri.v1.RunPodSandboxRequest;
import dev.skiff.kubelet.cri.v1.RuntimeServiceGrpc;
import dev.skiff.kubelet.cri.v1.StartContainerRequest;
import dev.skiff.kubelet.cri.v1.StatusRequest;
import dev.skiff.kubelet.cri.v1.StopContainerRequest;
import dev.skiff.kubelet.cri.v1.StopPodSandboxRequest;
import dev.skiff.kubelet.cri.v1.VersionRequest;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The CRI RuntimeService (pod sandboxes and containers) with records in and out.
 *
 * <p>Every method is one blocking gRPC call with a deadline, and throws {@link CriException} when
 * the runtime refuses it. Stop and remove calls are idempotent, as CRI requires of the runtime.
 * Thread-safe; call from virtual threads.
 */
public final class RuntimeService {

  /** The CRI API version this client speaks (VersionRequest.version). */
  public static final String API_VERSION = "v1";

  private final RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;
  private final Duration callTimeout;

  RuntimeService(Channel channel, Duration callTimeout) {
    this.stub = RuntimeServiceGrpc.newBlockingStub(channel);
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub stub(Duration timeout) {
    return stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The runtime's name and version; answers as soon as the runtime serves CRI. */
  public RuntimeVersion version(Duration timeout) {
    var r = CriCall.run("Version",
        () -> stub(timeout).version(VersionRequest.newBuilder().setVersion(API_VERSION).build()));
    return new RuntimeVersion(r.getRuntimeName(), r.getRuntimeVersion(), r.getRuntimeApiVersion());
  }

  /** The runtime's conditions by type ({@code RuntimeReady}, {@code NetworkReady}) and whether each holds. */
  public Map<String, Boolean> conditions() {
    var r = CriCall.run("Status", () -> stub(callTimeout).status(StatusRequest.getDefaultInstance()));
    return r.getStatus().getConditionsList().stream()
        .collect(Collectors.toUnmodifiableMap(c -> c.getType(), c -> c.getStatus()));
  }

  /** Creates and starts a pod sandbox (its network included) and returns its ID. */
  public String runPodSandbox(PodSandboxSpec spec) {
    var request = RunPodSandboxRequest.newBuilder().setConfig(spec.toProto()).build();
    return CriCall.run("RunPodSandbox", () -> stub(callTimeout).runPodSandbox(request)).getPodSandboxId();
  }

  /** Stops every process of the sandbox and releases its network; idempotent. */
  public void stopPodSandbox(String sandboxId) {
    CriCall.run("StopPodSandbox", () -> stub(callTimeout)
        .stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
  }

  /** Removes the sandbox and whatever containers are left in it; idempotent. */
  public void removePodSandbox(String sandboxId) {
    CriCall.run("RemovePodSandbox", () -> stub(callTimeout)
        .removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
  }

  /** The sandbox's state and IPs; throws a {@link CriException#notFound()} one when it is gone. */
  public SandboxStatus podSandboxStatus(String sandboxId) {
    var s = CriCall.run("PodSandboxStatus", () -> stub(callTimeout)
        .podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()))
        .getStatus();
    var network = s.getNetwork();
    return new SandboxStatus(s.getId(), s.getMetadata().getName(), s.getMetadata().getNamespace(),
        s.getMetadata().getUid(), s.getMetadata().getAttempt(), sandboxState(s.getState()),
        instant(s.getCreatedAt()),
        network.getIp().isEmpty() ? Optional.empty() : Optional.of(network.getIp()),
        network.getAdditionalIpsList().stream().map(ip -> ip.getIp()).toList());
  }

  /** Every sandbox the runtime knows, ready or not. */
  public List<SandboxSummary> listPodSandboxes() {
    return listPodSandboxes(Map.of());
  }

  /**
   * The sandboxes, ready or not, that carry all of {@code labels} (all of them when empty). The
   * runtime filters, so a pod's own sandboxes cost one small answer however many pods the node has.
   */
  public List<SandboxSummary> listPodSandboxes(Map<String, String> labels) {
    var request = ListPodSandboxRequest.newBuilder()
        .setFilter(PodSandboxFilter.newBuilder().putAllLabelSelector(labels)).build();
    return CriCall.run("ListPodSandbox", () -> stub(callTimeout).listPodSandbox(request))
        .getItemsList().stream()
        .map(s -> new SandboxSummary(s.getId(), s.getMetadata().getName(), s.getMetadata().getNamespace(),
            s.getMetadata().getUid(), s.getMetadata().getAttempt(), sandboxState(s.getState()),
            instant(s.getCreatedAt()), s.getLabelsMap()))
        .toList();
  }

  /** Creates (does not start) a container in the sandbox that {@code sandbox} made; returns its ID. */
  public String createContainer(String sandboxId, ContainerSpec container, PodSandboxSpec sandbox) {
    var request = CreateContainerRequest.newBuilder()
        .setPodSandboxId(sandboxId)
        .setConfig(container.toProto())
        .setSandboxConfig(sandbox.toProto())
        .build();
    return CriCall.run("CreateContainer", () -> stub(callTimeout).createContainer(request)).getContainerId();
  }

  /** Starts a created container. */
  public void startContainer(String containerId) {
    CriCall.run("StartContainer", () -> stub(callTimeout)
        .startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build()));
  }

  /**
   * Stops a container: SIGTERM (or the image's stop signal), then SIGKILL after {@code grace};
   * idempotent. The call's own deadline is the grace period plus the usual call timeout.
   */
  public void stopContainer(String containerId, Duration grace) {
    var request = StopContainerRequest.newBuilder()
        .setContainerId(containerId).setTimeout(grace.toSeconds()).build();
    CriCall.run("StopContainer", () -> stub(callTimeout.plus(grace)).stopContainer(request));
  }

  /** Removes a container, killing it first if it still runs; idempotent. */
  public void removeContainer(String containerId) {
    CriCall.run("RemoveContainer", () -> stub(callTimeout)
        .removeContainer(RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
  }

  /**
   * Runs {@code command} in the running container and waits for it, at most {@code timeout}
   * (the runtime stops it then and the call fails with a deadline error).
   */
  public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    var request = dev.skiff.kubelet.cri.v1.ExecSyncRequest.newBuilder()
        .setContainerId(containerId).addAllCmd(command).setTimeout(Math.max(1, timeout.toSeconds())).build();
    var r = CriCall.run("ExecSync", () -> stub(timeout.plusSeconds(2)).execSync(request));
    return new ExecResult(r.getExitCode(), r.getStdout().toByteArray(), r.getStderr().toByteArray());
  }

  /** The container's state, times, exit code and log path. */
  public ContainerStatus containerStatus(String containerId) {
    var s = CriCall.run("ContainerStatus", () -> stub(callTimeout)
        .containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build()))
        .getStatus();
    return new ContainerStatus(s.getId(), s.getMetadata().getName(), s.getMetadata().getAttempt(),
        containerState(s.getState()), instant(s.getCreatedAt()),
        s.getStartedAt() == 0 ? Optional.empty() : Optional.of(instant(s.getStartedAt())),
        s.getFinishedAt() == 0 ? Optional.empty() : Optional.of(instant(s.getFinishedAt())),
        s.getExitCode(), s.getImage().getImage(), s.getImageRef(), s.getReason(), s.getMessage(),
        s.getLogPath().isEmpty() ? Optional.empty() : Optional.of(Path.of(s.getLogPath())));
  }

  /** The containers of one sandbox, or of all sandboxes when {@code sandboxId} is empty. */
  public List<ContainerSummary> listContainers(Optional<String> sandboxId) {
    var filter = ContainerFilter.newBuilder();
    sandboxId.ifPresent(filter::setPodSandboxId);
    return listContainers(filter);
  }

  /** The containers, of any sandbox and in any state, that carry all of {@code labels}. */
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return listContainers(ContainerFilter.newBuilder().putAllLabelSelector(labels));
  }

  private List<ContainerSummary> listContainers(ContainerFilter.Builder filter) {
    var request = ListContainersRequest.newBuilder().setFilter(filter).build();
    return CriCall.run("ListContainers", () -> stub(callTimeout).listContainers(request))
        .getContainersList().stream()
        .map(c -> new ContainerSummary(c.getId(), c.getPodSandboxId(), c.getMetadata().getName(),
            c.getMetadata().getAttempt(), containerState(c.getState()), c.getImage().getImage(),
            c.getImageRef(), instant(c.getCreatedAt()), c.getLabelsMap()))
        .toList();
  }

  private static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos);
  }

  private static SandboxState sandboxState(dev.skiff.kubelet.cri.v1.PodSandboxState state) {
    return switch (state) {
      case SANDBOX_READY -> SandboxState.READY;
      case SANDBOX_NOTREADY, UNRECOGNIZED -> SandboxState.NOT_READY;
    };
  }

  private static ContainerState containerState(dev.skiff.kubelet.cri.v1.ContainerState state) {
    return switch (state) {
      case CONTAINER_CREATED -> ContainerState.CREATED;
      case CONTAINER_RUNNING -> ContainerState.RUNNING;
      case CONTAINER_EXITED -> ContainerState.EXITED;
      case CONTAINER_UNKNOWN, UNRECOGNIZED -> ContainerState.UNKNOWN;
    };
  }

  /**
   * CRI Exec: the one-use URL on the runtime's streaming server where {@code cmd} runs in the
   * container once a client connects with the streams asked for here.
   */
  public String exec(String containerId, List<String> cmd, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
    var request = ExecRequest.newBuilder().setContainerId(containerId).addAllCmd(cmd).setTty(tty)
        .setStdin(stdin).setStdout(stdout).setStderr(stderr).build();
    return CriCall.run("Exec", () -> stub(callTimeout).exec(request)).getUrl();
  }

  /** CRI Attach: the one-use URL that attaches to the container's main process. */
  public String attach(String containerId, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
    var request = AttachRequest.newBuilder().setContainerId(containerId).setTty(tty)
        .setStdin(stdin).setStdout(stdout).setStderr(stderr).build();
    return CriCall.run("Attach", () -> stub(callTimeout).attach(request)).getUrl();
  }

  /** CRI PortForward: the one-use URL that forwards to ports in the sandbox's network namespace. */
  public String portForward(String sandboxId, List<Integer> ports) {
    var request = PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build();
    return CriCall.run("PortForward", () -> stub(callTimeout).portForward(request)).getUrl();
  }
}
