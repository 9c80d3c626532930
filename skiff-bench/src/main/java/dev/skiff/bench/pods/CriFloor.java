package dev.skiff.bench.pods;

import dev.skiff.bench.Latency;
import dev.skiff.bench.LatencyRecorder;
import dev.skiff.kubelet.cni.BridgeNetwork;
import dev.skiff.kubelet.cni.Ipv4Cidr;
import dev.skiff.kubelet.cni.UnreachableRoute;
import dev.skiff.kubelet.containerd.ContainerdConfig;
import dev.skiff.kubelet.containerd.ContainerdSupervisor;
import dev.skiff.kubelet.cri.ContainerSpec;
import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.PodSandboxSpec;
import dev.skiff.kubelet.cri.RuntimeService;
import dev.skiff.kubelet.image.BusyboxImages;
import dev.skiff.kubelet.image.ImageImporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The floor under pod start-up: what containerd itself takes to run a pod, with no API server and
 * no kubelet. Starts its own containerd under {@code dir} with the same images and a bridge network
 * of its own, then runs {@code pods} pods at once, each RunPodSandbox + CreateContainer +
 * StartContainer, and times each pod from its first call to its container started, and each of the
 * three calls; then {@link #SEQUENTIAL} pods one after another, the floor of a single pod.
 */
final class CriFloor {
  /** A bridge and range of its own, so a running Skiff node is never touched. */
  private static final String BRIDGE = "skiffbench0";
  private static final Ipv4Cidr POD_CIDR = Ipv4Cidr.parse("10.42.254.0/24");
  private static final Ipv4Cidr CLUSTER_CIDR = Ipv4Cidr.parse("10.42.0.0/16");

  /** How many pods run one after another, after the concurrent ones. */
  static final int SEQUENTIAL = 5;

  /**
   * What the floor run measured.
   *
   * @param pods each concurrent pod, first call to container started
   * @param sandbox RunPodSandbox (pause container, network namespace, CNI ADD) of the concurrent pods
   * @param create CreateContainer of the concurrent pods
   * @param start StartContainer of the concurrent pods
   * @param sequential each of {@link #SEQUENTIAL} pods run alone
   * @param sequentialSandbox RunPodSandbox of the pods run alone
   * @param cpu the CPU time the runtime spent on the concurrent pods
   * @param sequentialCpu the same for the pods run alone: no contention between them
   */
  record Result(Latency pods, Latency sandbox, Latency create, Latency start, Latency sequential,
      Latency sequentialSandbox, RuntimeCpu cpu, RuntimeCpu sequentialCpu) {}

  /** The three CRI calls' times of a batch of pods. */
  private record Calls(LatencyRecorder total, LatencyRecorder sandbox, LatencyRecorder create,
      LatencyRecorder start) {
    Calls(int n) {
      this(new LatencyRecorder(n), new LatencyRecorder(n), new LatencyRecorder(n), new LatencyRecorder(n));
    }
  }

  private CriFloor() {}

  static Result measure(Path dir, int pods) throws Exception {
    var images = BusyboxImages.debian();
    Path archive = dir.resolve("images.tar");
    images.writeLayout(archive);
    var route = UnreachableRoute.forClusterCidr(CLUSTER_CIDR);
    boolean addedRoute = route.ensure();
    var config = ContainerdConfig.debianDefaults(dir.resolve("node"), images.pauseReference());
    new BridgeNetwork("skiff-bench", BRIDGE, POD_CIDR, dir.resolve("node/cni/ipam")).writeTo(config.cniConfDir());
    Calls concurrent = new Calls(pods);
    Calls alone = new Calls(SEQUENTIAL);
    RuntimeCpu cpu;
    RuntimeCpu sequentialCpu;
    try (var accounting = CpuAccountingGroup.create("skiff-bench-floor");
        var containerd = ContainerdSupervisor.start(config, Duration.ofSeconds(30));
        var cri = CriConnection.open(containerd.socket(), Duration.ofMinutes(1))) {
      // before any pod: the shims, runc and CNI plugins containerd starts are born in the group
      accounting.adopt(containerd.pid().orElseThrow());
      ImageImporter.forSocket(containerd.socket()).importArchive(archive);
      RuntimeService runtime = cri.runtime();
      // one warm-up pod, as a node that has run pods before
      List<String> sandboxes = new ArrayList<>();
      sandboxes.add(runPod(runtime, images, dir, "warmup", new Calls(1)));
      ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
      var before = RuntimeCpu.Sample.take(accounting);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        String name = "floor-" + i;
        threads.add(Thread.ofVirtual().start(() -> {
          started.add(runPod(runtime, images, dir, name, concurrent));
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      cpu = RuntimeCpu.since(before, accounting, pods);
      var beforeAlone = RuntimeCpu.Sample.take(accounting);
      for (int i = 0; i < SEQUENTIAL; i++) {
        started.add(runPod(runtime, images, dir, "alone-" + i, alone));
      }
      sequentialCpu = RuntimeCpu.since(beforeAlone, accounting, SEQUENTIAL);
      sandboxes.addAll(started);
      for (String id : sandboxes) {
        runtime.stopPodSandbox(id);
        runtime.removePodSandbox(id);
      }
    } finally {
      if (addedRoute) {
        route.remove();
      }
      new ProcessBuilder("ip", "link", "delete", BRIDGE).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
    return new Result(Latency.of(concurrent.total()), Latency.of(concurrent.sandbox()),
        Latency.of(concurrent.create()), Latency.of(concurrent.start()), Latency.of(alone.total()),
        Latency.of(alone.sandbox()), cpu, sequentialCpu);
  }

  private static String runPod(RuntimeService runtime, BusyboxImages images, Path dir, String name, Calls calls) {
    String uid = UUID.randomUUID().toString();
    PodSandboxSpec sandbox = PodSandboxSpec.of(name, "bench", uid, dir.resolve("logs").resolve(name));
    long t0 = System.nanoTime();
    String id = runtime.runPodSandbox(sandbox);
    long t1 = System.nanoTime();
    String container = runtime.createContainer(id,
        ContainerSpec.of("main", images.busyboxReference(), List.of("sleep", "3600")), sandbox);
    long t2 = System.nanoTime();
    runtime.startContainer(container);
    long t3 = System.nanoTime();
    calls.sandbox().record(t1 - t0);
    calls.create().record(t2 - t1);
    calls.start().record(t3 - t2);
    calls.total().record(t3 - t0);
    return id;
  }
}
