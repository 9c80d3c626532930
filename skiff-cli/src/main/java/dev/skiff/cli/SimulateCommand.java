package dev.skiff.cli;

import dev.skiff.simulator.SimulatedNodes;
import dev.skiff.simulator.SimulatedNodesConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff simulate}: adds simulated nodes to a running cluster, as an API client like any
 * kubelet. The nodes take their pod CIDRs from the cluster's node-ipam-controller (so they never
 * overlap the server's own nodes) and run until the process is stopped. SIGTERM stops their
 * heartbeats and pod workers and exits; the Nodes stay registered, as a dead kubelet's would, so
 * the node lifecycle controller marks them unreachable once their Leases expire.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Add simulated nodes to a running cluster; they heartbeat until stopped (Ctrl-C or SIGTERM).")
final class SimulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "N", required = true, description = "How many nodes to add.")
  int nodes;

  @Option(names = "--name-prefix", paramLabel = "P", defaultValue = "sim-extra",
      description = "Node names are P-0001, P-0002, ... (default: ${DEFAULT-VALUE}).")
  String namePrefix;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The cluster's admin kubeconfig (default: kubeconfig.yaml in skiff server's default data dir).")
  Path kubeconfig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (nodes < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 1");
    }
    if (!namePrefix.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--name-prefix must be a DNS label (lower-case letters, digits and '-')");
    }
    Path file = kubeconfig != null ? kubeconfig : ServerCommand.defaultDataDir().resolve("kubeconfig.yaml");
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(file));
    } catch (IOException e) {
      err.printf("skiff: cannot read the kubeconfig %s (%s); pass --kubeconfig%n", file, e.getMessage());
      return 1;
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    SimulatedNodes simulated;
    try {
      // the cluster's IPAM hands out the ranges, so these nodes cannot collide with the server's own
      simulated = new SimulatedNodes(client,
          SimulatedNodesConfig.of(nodes).withNamePrefix(namePrefix).withPodCidrFromCluster(true));
    } catch (RuntimeException e) {
      err.printf("skiff: cannot register the simulated nodes: %s%n", e.getMessage());
      client.close();
      return 1;
    }
    out.printf("skiff: %d simulated nodes running: %s%n", nodes, String.join(", ", simulated.nodeNames()));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-simulate-shutdown").unstarted(() -> {
      try {
        simulated.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        client.close();
        stopped.countDown();
      }
    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
