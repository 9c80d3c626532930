package dev.skiff.cli;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.registry.AdmissionPlugins;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreEndpoint;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff server}: runs the control plane on this machine. The flags follow k3s and
 * kube-apiserver, whose users already know them (see ARCHITECTURE.md's contracts).
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run the Skiff control plane (and the node agent) on this machine."
        + " Runs until stopped (Ctrl-C or SIGTERM).")
final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "State, certificates and kubeconfig (default: /var/lib/skiff as root, else ~/.skiff).")
  Path dataDir;

  @Option(names = "--https-listen-port", paramLabel = "PORT", defaultValue = "6443",
      description = "API server port (default: ${DEFAULT-VALUE}).")
  int httpsListenPort;

  @Option(names = "--bind-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
      description = "API server address (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--advertise-address", paramLabel = "ADDR",
      description = "Address published in the default/kubernetes Endpoints for pods to reach the API server"
          + " (default: --bind-address, or the host's primary IPv4 when that is 0.0.0.0 or loopback).")
  String advertiseAddress;

  @Option(names = "--datastore-endpoint", paramLabel = "URL", defaultValue = "sqlite",
      description = "'sqlite' (embedded, in the data dir) or etcd URLs, e.g. http://127.0.0.1:2379 (default: ${DEFAULT-VALUE}).")
  String datastoreEndpoint;

  @Option(names = "--disable-agent", description = "Do not run the node agent on this machine.")
  boolean disableAgent;

  @Option(names = "--disable", split = ",", paramLabel = "NAMES",
      description = "Components not to run: scheduler, controllers, proxy, dns, ingress, metrics, dashboard.")
  List<String> disable = List.of();

  @Option(names = "--simulated-nodes", paramLabel = "N", defaultValue = "0",
      description = "Register N simulated nodes (default: ${DEFAULT-VALUE}).")
  int simulatedNodes;

  @Option(names = "--token-auth-file", paramLabel = "FILE",
      description = "Static bearer tokens, CSV: token,user,uid,\"group1,group2\".")
  Path tokenAuthFile;

  @Option(names = "--client-ca-file", paramLabel = "FILE",
      description = "An extra CA whose client certificates are accepted.")
  Path clientCaFile;

  @Option(names = "--disable-admission-plugins", split = ",", paramLabel = "NAMES",
      description = "Admission plugins not to run, as kube-apiserver's flag (known: ServiceAccount).")
  List<String> disabledAdmissionPlugins = List.of();

  /** bin/skiff's start-up cache training: start, serve a few requests (TrainingRun), then stop and exit 0. */
  @Option(names = "--training-run", hidden = true,
      description = "Start, serve a few requests, stop and exit (bin/skiff's start-up cache training).")
  boolean trainingRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    for (String name : disable) {
      if (!ClusterComponents.KNOWN.contains(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--disable: unknown component '"
            + name + "'; known: " + String.join(", ", new java.util.TreeSet<>(ClusterComponents.KNOWN)));
      }
    }
    AdmissionPlugins admission;
    try {
      admission = new AdmissionPlugins(new java.util.HashSet<>(disabledAdmissionPlugins));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--disable-admission-plugins: " + e.getMessage());
    }
    StoreEndpoint endpoint;
    try {
      endpoint = StoreEndpoint.parse(datastoreEndpoint, dir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.printf("skiff: cannot create the data dir %s (%s); choose another with --data-dir%n",
          dir, e);
      return 1;
    }
    out.printf("skiff: data dir %s%n", dir);
    out.printf("skiff: opening the datastore: %s%n", endpoint.describe());
    out.flush();
    long started = System.nanoTime();
    Store store;
    try {
      store = Stores.open(endpoint);
      out.printf("skiff: datastore ready at revision %d (%d ms)%n",
          store.currentRevision(), (System.nanoTime() - started) / 1_000_000);
    } catch (StoreException e) {
      err.printf("skiff: cannot open the datastore (%s): %s%n", endpoint.describe(), e.getMessage());
      err.println(switch (endpoint) {
        case StoreEndpoint.Etcd etcd -> "skiff: check that etcd is running and reachable at those URLs.";
        case StoreEndpoint.Embedded embedded -> "skiff: check that " + embedded.file().getParent()
            + " is writable and that no other skiff server uses it.";
      });
      return 1;
    }
    boolean agent = runAgent(err);
    ApiServer apiServer = new ApiServer(new ApiServerConfig(
        dir, bindAddress, httpsListenPort, store, tokenAuthFile, clientCaFile)
        .withLocalNode(localNode(agent, dir)).withAdmission(admission).withAdvertiseAddress(advertiseAddress));
    try {
      apiServer.start();
    } catch (Exception e) {
      err.printf("skiff: cannot start the API server on %s:%d: %s%n", bindAddress,
          httpsListenPort, rootMessage(e));
      err.println("skiff: if the port is in use, stop the other server or choose another"
          + " --https-listen-port.");
      store.close();
      return 1;
    }
    out.printf("skiff: API server ready at https://%s:%d (%d ms since start)%s%n",
        bindAddress, apiServer.port(), (System.nanoTime() - started) / 1_000_000, sinceJvmStart());
    out.printf("skiff: admin kubeconfig: %s  (try: kubectl --kubeconfig %s get namespaces)%n",
        apiServer.kubeconfig(), apiServer.kubeconfig());
    out.flush();
    ClusterComponents components;
    try {
      components = ClusterComponents.start(apiServer.kubeconfig(), new ClusterComponents.Options(
          Set.copyOf(disable), simulatedNodes, nodeIdentity(), agent, dir), out);
    } catch (IOException | RuntimeException e) {
      err.printf("skiff: cannot start the cluster components: %s%n", rootMessage(e));
      if (!disableAgent) {
        err.println("skiff: if the node agent failed, check the log under " + dir.resolve("agent")
            + ", or run with --disable-agent for the control plane alone.");
      }
      apiServer.close();
      store.close();
      return 1;
    }
    if (trainingRun) {
      return train(apiServer, components, store, out, err);
    }
    awaitShutdown(components, apiServer, store);
    return 0;
  }

  /**
   * The training run: the requests of {@link TrainingRun}, then a normal stop (components, API server,
   * store), so the JVM exits by {@code System.exit} and writes its AOT cache, never from a signal. Exits 0 once the
   * server has started, even if a request failed (said on stderr).
   */
  private static int train(ApiServer apiServer, ClusterComponents components, Store store, PrintWriter out,
      PrintWriter err) {
    try {
      new TrainingRun(apiServer.kubeconfig(), java.time.Duration.ofSeconds(120)).run();
      out.println("skiff: training run done, stopping");
      out.flush();
      return 0;
    } catch (IOException | RuntimeException e) {
      // the cache still holds what ran until then: a slow or failed request is no reason to start without one
      err.printf("skiff: a training request failed, the cache covers what ran until then: %s%n", rootMessage(e));
      err.flush();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      components.close();
      apiServer.close();
      store.close();
    }
  }

  /**
   * Blocks until SIGTERM or SIGINT, then stops the components, then the API server they talk
   * to, then the store under it.
   */
  private static void awaitShutdown(ClusterComponents components, ApiServer apiServer, Store store) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-shutdown").unstarted(() -> {
      components.close();
      apiServer.close();
      store.close();
      stopped.countDown();
    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The name of this machine's node when the agent runs here (its kubelet is then on loopback), else null. */
  private static String localNode(boolean agent, Path dir) {
    if (!agent) {
      return null;
    }
    try {
      return KubeletConfig.defaults(dir.resolve("agent")).nodeName();
    } catch (IOException e) {
      return null; // the agent's own start reports what is wrong
    }
  }

  /** The node agent runs containers, which needs root; without it, say so and go on. */
  private boolean runAgent(PrintWriter err) {
    if (disableAgent) {
      return false;
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      err.println("skiff: the node agent needs root (containerd, CNI, cgroups); running the"
          + " control plane only. Run as root, or pass --disable-agent to silence this.");
      err.flush();
      return false;
    }
    return true;
  }

  /** This machine's name, for leader-election identities (as upstream uses the hostname). */
  private static String nodeIdentity() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName() + "_" + ProcessHandle.current().pid();
    } catch (java.net.UnknownHostException e) {
      return "skiff_" + ProcessHandle.current().pid();
    }
  }

  /**
   * Wall and CPU time of this process so far, e.g. {@code "; 1,480 ms and 2,310 ms of CPU since the JVM started"}:
   * the server's own cold-start figure, whatever a client's polling adds (bin/bench api reads it). Wall time
   * counts from the JVM's start, not the process's: bin/skiff execs java in its own process after it may have
   * rebuilt the jar and made the start-up cache.
   */
  private static String sinceJvmStart() {
    ProcessHandle.Info self = ProcessHandle.current().info();
    if (self.totalCpuDuration().isEmpty()) {
      return "";
    }
    long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    return String.format(java.util.Locale.ROOT, "; %d ms and %d ms of CPU since the JVM started",
        System.currentTimeMillis() - jvmStart, self.totalCpuDuration().get().toMillis());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }

  /** Where state lives when --data-dir is not given. */
  static Path defaultDataDir() {
    return "root".equals(System.getProperty("user.name"))
        ? Path.of("/var/lib/skiff")
        : Path.of(System.getProperty("user.home"), ".skiff");
  }
}
