package dev.skiff.e2e;

import dev.skiff.testkit.Kubectl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code kubectl get ... -w}, whose output lines (trimmed, runs of blanks made one) are
 * collected by a virtual thread until {@link #close()} stops the process by its PID.
 */
final class KubectlWatch implements AutoCloseable {
  private final Process process;
  private final Thread reader;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  KubectlWatch(Kubectl kubectl, String... args) {
    this.process = kubectl.start(args);
    this.reader = Thread.ofVirtual().name("kubectl-watch").start(this::read);
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line.strip().replaceAll("\\s+", " "));
      }
    } catch (IOException stopped) {
      // close() ended the process
    }
  }

  /** The lines printed so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    reader.join(Duration.ofSeconds(10));
  }
}
