package dev.skiff.cli;

import dev.skiff.storage.Store;
import dev.skiff.storage.StoreEndpoint;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
    description = "Run the Skiff control plane (and the node agent) on this machine.")
final class ServerCommand implements Callable<Integer> {
  /** Exit code when the command did all it can but a component it needs is not built yet. */
  static final int NOT_BUILT_YET = 3;

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

  @Option(names = "--datastore-endpoint", paramLabel = "URL", defaultValue = "sqlite",
      description = "'sqlite' (embedded, in the data dir) or etcd URLs, e.g. http://127.0.0.1:2379 (default: ${DEFAULT-VALUE}).")
  String datastoreEndpoint;

  @Option(names = "--disable-agent", description = "Do not run the node agent on this machine.")
  boolean disableAgent;

  @Option(names = "--disable", split = ",", paramLabel = "NAMES",
      description = "Components not to run, e.g. proxy,dns.")
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = dataDir != null ? dataDir : defaultDataDir();
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
    try (Store store = Stores.open(endpoint)) {
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
    err.println("skiff: the API server is not built yet, so there is nothing to serve; stopping.");
    err.println("skiff: see README.md, 'What works', for what this version can do.");
    return NOT_BUILT_YET;
  }

  private static Path defaultDataDir() {
    return "root".equals(System.getProperty("user.name"))
        ? Path.of("/var/lib/skiff")
        : Path.of(System.getProperty("user.home"), ".skiff");
  }
}
