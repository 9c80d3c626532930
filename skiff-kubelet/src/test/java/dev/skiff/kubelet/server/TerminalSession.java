package dev.skiff.kubelet.server;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A command run on a pseudo-terminal, as a person at a terminal runs it: util-linux
 * {@code script} gives it a pty of {@code rows}x{@code cols}; what is typed goes to the pty, and
 * everything the command writes to it is collected. {@link #resize()} changes the pty's size to
 * {@code resizedRows}x{@code resizedCols} from a helper in the same session, so the kernel sends
 * the command SIGWINCH as it would for a resized terminal window.
 */
final class TerminalSession implements AutoCloseable {

  private final Process process;
  private final OutputStream keyboard;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final Path resizeSignal;

  TerminalSession(Path dir, List<String> command, int rows, int cols, int resizedRows, int resizedCols)
      throws IOException {
    resizeSignal = dir.resolve("resize-" + System.nanoTime());
    String quoted = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    // the helper waits for the signal file, then resizes the terminal it shares with the command
    String shell = "stty rows " + rows + " cols " + cols + "; (while [ ! -f '" + resizeSignal + "' ]; do sleep 0.1;"
        + " done; stty rows " + resizedRows + " cols " + resizedCols + " < /dev/tty) & exec " + quoted;
    process = new ProcessBuilder("script", "-qfec", shell, "/dev/null").redirectErrorStream(true).start();
    keyboard = process.getOutputStream();
    Thread.ofVirtual().start(() -> {
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = process.getInputStream().read(buf)) >= 0) {
          synchronized (screen) {
            screen.write(buf, 0, n);
          }
        }
      } catch (IOException ignored) {
        // the session ended
      }
    });
  }

  void type(String keys) throws IOException {
    keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  /** Everything shown so far. */
  String screen() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until the screen shows {@code text}, typing {@code keys} again every two seconds. */
  void typeUntilShown(String keys, String text, Duration atMost) {
    long[] last = {0};
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (System.nanoTime() - last[0] > 2_000_000_000L) {
        type(keys);
        last[0] = System.nanoTime();
      }
      return screen().contains(text);
    });
  }

  void resize() throws IOException {
    Files.writeString(resizeSignal, "");
  }

  /** Waits for the command's end and gives its exit code. */
  int waitFor(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + atMost + "; screen: " + screen());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    resize(); // lets the helper end
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
