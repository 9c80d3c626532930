package dev.skiff.cli;

import dev.skiff.kubelet.image.NodeImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff images}: the container images of this machine's node. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "Manage the container images of this machine's node.",
    subcommands = {ImagesCommand.Import.class})
final class ImagesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * {@code skiff images import FILE...}: keeps each archive in the node's image directory (so every
   * later start imports it again) and imports it at once when the node's containerd is running.
   */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Import image archives (OCI or docker save tarballs) into the node's containerd,"
          + " now if it runs and at every start of the node agent.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "The data dir of the server whose node gets the images (default: as skiff server).")
    Path dataDir;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image archives (.tar).")
    List<Path> archives;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path agent = (dataDir != null ? dataDir : ServerCommand.defaultDataDir()).resolve("agent");
      NodeImages images = new NodeImages(agent);
      int failed = 0;
      for (Path archive : archives) {
        try {
          List<String> imported = images.add(archive, NodeImages.supervisedSocket(agent));
          if (imported.isEmpty()) {
            out.printf("skiff: kept %s in %s; the node agent imports it when it next starts%n", archive,
                images.directory());
          } else {
            out.printf("skiff: imported %s from %s%n", String.join(", ", imported), archive);
          }
        } catch (IOException e) {
          failed++;
          err.printf("skiff: cannot import %s: %s%n", archive, e.getMessage());
        }
      }
      out.flush();
      err.flush();
      return failed == 0 ? 0 : 1;
    }
  }
}
