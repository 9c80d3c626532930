package dev.skiff.controllers.base;

import java.time.Duration;

/**
 * One controller's sync step, in the shape of Java Operator SDK's {@code Reconciler} and upstream's
 * {@code syncHandler}: read the object named by {@code key} from the informer cache, compare desired
 * with observed state, write the difference.
 *
 * <p>Must be idempotent and safe to run late or twice: it is called again for the same key after
 * every informer event and after failures. A missing object means clean up and return
 * {@link Result#done()}. Throwing requeues the key with per-item exponential back-off.
 */
@FunctionalInterface
public interface Reconciler {
  Result reconcile(ObjectKey key) throws Exception;

  /** What the loop does with the key after a successful reconcile. */
  sealed interface Result {
    /** Nothing more to do until the next event. */
    static Result done() {
      return Done.INSTANCE;
    }

    /** Run again after {@code delay} (minReadySeconds, progress deadlines), even without an event. */
    static Result requeueAfter(Duration delay) {
      return new RequeueAfter(delay);
    }
  }

  enum Done implements Result { INSTANCE }

  record RequeueAfter(Duration delay) implements Result {}
}
