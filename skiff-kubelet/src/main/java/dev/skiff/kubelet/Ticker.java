package dev.skiff.kubelet;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task every interval on a virtual thread of its own until closed; a failed run is
 * logged and the next tick tries again.
 */
public final class Ticker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  /** One run of the task; may block. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private final String name;
  private final Duration interval;
  private final Task task;
  private final Thread thread;
  private volatile boolean closed;

  /** Starts ticking: the first run comes one interval from now. */
  public Ticker(String name, Duration interval, Task task) {
    this.name = Objects.requireNonNull(name, "name");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.task = Objects.requireNonNull(task, "task");
    this.thread = Thread.ofVirtual().name(name).start(this::loop);
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(interval);
        task.run();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (!closed) {
          LOG.warn("{} failed: {}", name, e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
