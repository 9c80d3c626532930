package dev.skiff.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a test that runs pods leaves on the host, and the means to take it away again: the pod
 * bridge and the portmap plugin's shared iptables chains (which CNI keeps after the last pod, as on
 * any Kubernetes node) are removed when the test brought them; containerd and its shims must be gone.
 */
public final class HostFootprint {

  private final String bridge;
  private final boolean bridgeExisted;
  private final boolean portmapChainsExisted;

  private HostFootprint(String bridge, boolean bridgeExisted, boolean portmapChainsExisted) {
    this.bridge = bridge;
    this.bridgeExisted = bridgeExisted;
    this.portmapChainsExisted = portmapChainsExisted;
  }

  /** Notes whether {@code bridge} and the portmap chains exist before the test. */
  public static HostFootprint before(String bridge) throws IOException {
    return new HostFootprint(bridge, Files.exists(Path.of("/sys/class/net", bridge)), portmapChainsExist());
  }

  private static boolean portmapChainsExist() throws IOException {
    return new HostCommand(List.of("iptables", "-t", "nat", "-S", "CNI-HOSTPORT-DNAT"), Duration.ofSeconds(10))
        .run().succeeded();
  }

  /** Removes the bridge and the portmap chains if the test brought them. */
  public void restore() throws IOException {
    if (!bridgeExisted && Files.exists(Path.of("/sys/class/net", bridge))) {
      run("ip", "link", "del", bridge);
    }
    // the chains appear with the first pod that has a hostPort
    if (!portmapChainsExisted && portmapChainsExist()) {
      run("iptables", "-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j",
          "CNI-HOSTPORT-DNAT");
      run("iptables", "-t", "nat", "-D", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "CNI-HOSTPORT-DNAT");
      run("iptables", "-t", "nat", "-D", "POSTROUTING", "-m", "comment", "--comment",
          "CNI portfwd requiring masquerade", "-j", "CNI-HOSTPORT-MASQ");
      for (String chain : List.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK")) {
        run("iptables", "-t", "nat", "-F", chain);
        run("iptables", "-t", "nat", "-X", chain);
      }
    }
  }

  /** The processes whose command line mentions {@code text} (a data dir: containerd, shims). */
  public static List<String> processesMentioning(String text) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
  }

  private static void run(String... command) throws IOException {
    var result = new HostCommand(List.of(command), Duration.ofSeconds(10)).run();
    if (!result.succeeded()) {
      throw new IOException(String.join(" ", command) + ": " + result.output());
    }
  }
}
