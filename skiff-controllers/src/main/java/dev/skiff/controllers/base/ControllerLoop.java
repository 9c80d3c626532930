package dev.skiff.controllers.base;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of a controller: named virtual threads take keys from a {@link WorkQueue} and
 * call the {@link Reconciler}; success forgets the key's back-off, an exception requeues it with
 * back-off, {@link Reconciler.RequeueAfter} requeues it after the delay. Informer handlers only
 * call {@link #enqueue}. Start with {@link #start} once the informers have synced; {@link #close}
 * stops the workers.
 */
public final class ControllerLoop<K> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

  private final String name;
  private final Step<K> step;
  private final WorkQueue<K> queue;
  private final List<Thread> workers = new ArrayList<>();

  /** One sync of one key of any type; {@link Reconciler} is the usual one, over {@link ObjectKey}. */
  @FunctionalInterface
  public interface Step<K> {
    Reconciler.Result run(K key) throws Exception;
  }

  /** A loop over object keys. */
  public static ControllerLoop<ObjectKey> of(String name, Reconciler reconciler, InstantSource clock) {
    Objects.requireNonNull(reconciler, "reconciler");
    return new ControllerLoop<>(name, reconciler::reconcile, clock);
  }

  public ControllerLoop(String name, Step<K> step, InstantSource clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.step = Objects.requireNonNull(step, "step");
    this.queue = new WorkQueue<>(clock, ItemExponentialBackoff.controllerDefault());
  }

  public WorkQueue<K> queue() {
    return queue;
  }

  public void enqueue(K key) {
    queue.add(key);
  }

  /** Starts {@code count} workers; call once. */
  public synchronized void start(int count) {
    if (!workers.isEmpty()) {
      throw new IllegalStateException(name + " already started");
    }
    for (int i = 0; i < count; i++) {
      workers.add(Thread.ofVirtual().name(name + "-worker-" + i).start(this::work));
    }
  }

  private void work() {
    try {
      while (true) {
        Optional<K> next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        K key = next.get();
        try {
          Reconciler.Result result = step.run(key);
          queue.forget(key);
          if (result instanceof Reconciler.RequeueAfter(var delay)) {
            queue.addAfter(key, delay);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (namespaceTerminating(e)) {
            // creating in a namespace being deleted: the namespace controller removes the object too,
            // so retrying only makes noise (upstream's controllers skip this error the same way)
            LOG.debug("{}: {} is in a terminating namespace; not retrying", name, key);
            queue.forget(key);
            continue;
          }
          // 409: the cache was behind a write; the requeue reads the newer copy, as upstream
          if (e.getCode() == 409) {
            LOG.debug("{}: sync of {} conflicted (retry {})", name, key, queue.retries(key));
          } else {
            LOG.info("{}: sync of {} failed (retry {}): {}", name, key, queue.retries(key), e.toString());
          }
          queue.addRateLimited(key);
        } catch (Exception e) {
          LOG.info("{}: sync of {} failed (retry {}): {}", name, key, queue.retries(key), e.toString());
          LOG.debug("{}: sync failure", name, e);
          queue.addRateLimited(key);
        } finally {
          queue.done(key);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the API refused a write because its namespace is terminating (cause NamespaceTerminating). */
  static boolean namespaceTerminating(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getStatus() != null
          && k.getStatus().getDetails() != null && k.getStatus().getDetails().getCauses() != null
          && k.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    queue.close();
    for (Thread t : workers) {
      t.interrupt();
    }
    for (Thread t : workers) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
