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
 * StartContainer, and times each pod from its first call to its container started.
 */
final class CriFloor {
  /** A bridge and range of its own, so a running Skiff node is never touched. */
  private static final String BRIDGE = "skiffbench0";
  private static final Ipv4Cidr POD_CIDR = Ipv4Cidr.parse("10.42.254.0/24");
  private static final Ipv4Cidr CLUSTER_CIDR = Ipv4Cidr.parse("10.42.0.0/16");

  private CriFloor() {}

  static Latency measure(Path dir, int pods) throws Exception {
    var images = BusyboxImages.debian();
    Path archive = dir.resolve("images.tar");
    images.writeLayout(archive);
    var route = UnreachableRoute.forClusterCidr(CLUSTER_CIDR);
    boolean addedRoute = route.ensure();
    var config = ContainerdConfig.debianDefaults(dir.resolve("node"), images.pauseReference());
    new BridgeNetwork("skiff-bench", BRIDGE, POD_CIDR, dir.resolve("node/cni/ipam")).writeTo(config.cniConfDir());
    LatencyRecorder latency = new LatencyRecorder(pods);
    try (var containerd = ContainerdSupervisor.start(config, Duration.ofSeconds(30));
        var cri = CriConnection.open(containerd.socket(), Duration.ofMinutes(1))) {
      ImageImporter.forSocket(containerd.socket()).importArchive(archive);
      RuntimeService runtime = cri.runtime();
      // one warm-up pod, as a node that has run pods before
      List<String> sandboxes = new ArrayList<>();
      sandboxes.add(runPod(runtime, images, dir, "warmup"));
      ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        String name = "floor-" + i;
        threads.add(Thread.ofVirtual().start(() -> {
          long t0 = System.nanoTime();
          started.add(runPod(runtime, images, dir, name));
          latency.record(System.nanoTime() - t0);
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
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
    return Latency.of(latency);
  }

  private static String runPod(RuntimeService runtime, BusyboxImages images, Path dir, String name) {
    String uid = UUID.randomUUID().toString();
    PodSandboxSpec sandbox = PodSandboxSpec.of(name, "bench", uid, dir.resolve("logs").resolve(name));
    String id = runtime.runPodSandbox(sandbox);
    String container = runtime.createContainer(id,
        ContainerSpec.of("main", images.busyboxReference(), List.of("sleep", "3600")), sandbox);
    runtime.startContainer(container);
    return id;
  }
}
