package dev.skiff.apiserver;

import dev.skiff.apiserver.testing.Kubectl;
import dev.skiff.apiserver.testing.MemoryStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {
  @TempDir Path dir;

  @Test
  void scratch() throws Exception {
    try (MemoryStore store = new MemoryStore(); ApiServer server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null))) {
      server.start();
      Kubectl k = new Kubectl(server.kubeconfig());
      for (String cmd : System.getProperty("scratch").split(";")) {
        Kubectl.Result r = k.run(cmd.trim().split(" +"));
        System.out.println("=== " + cmd + " -> " + r.exitCode() + "\n" + r.stdout() + "\n--- stderr\n" + r.stderr());
      }
    }
  }
}
