package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * When a pod on a node with NoExecute taints must go, as upstream's taint eviction: at once when
 * some taint is not tolerated; otherwise when the shortest {@code tolerationSeconds} among the
 * tolerations used runs out, counted from each taint's timeAdded; never when every toleration used
 * is unbounded.
 */
final class TolerationTimes {
  private TolerationTimes() {}

  /**
   * @param noExecute the node's NoExecute taints (non-empty)
   * @param addedAt when each taint was added (its timeAdded, or when this controller first saw it)
   * @return the instant to evict at ({@link Instant#EPOCH} for now), or empty for never
   */
  static Optional<Instant> evictionTime(Pod pod, List<Taint> noExecute, Function<Taint, Instant> addedAt) {
    List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null
        ? List.of() : pod.getSpec().getTolerations();
    Instant earliest = null;
    for (Taint taint : noExecute) {
      // as upstream's GetMatchingTolerations: the first toleration that tolerates the taint is the one used
      Optional<Toleration> used = tolerations.stream().filter(t -> tolerates(t, taint)).findFirst();
      if (used.isEmpty()) {
        return Optional.of(Instant.EPOCH);
      }
      Long seconds = used.get().getTolerationSeconds();
      if (seconds == null) {
        continue; // tolerated for ever
      }
      Instant at = seconds <= 0 ? Instant.EPOCH : addedAt.apply(taint).plusSeconds(seconds);
      earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
    }
    return Optional.ofNullable(earliest);
  }

  /** Upstream's {@code ToleratesTaint}. */
  static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = Objects.requireNonNullElse(t.getKey(), "");
    if (!key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    String operator = Objects.requireNonNullElse(t.getOperator(), "Equal");
    if (operator.equals("Exists")) {
      return true;
    }
    // Equal with an empty key matches nothing in upstream's validation; an empty key needs Exists
    return !key.isEmpty() && Objects.equals(Objects.requireNonNullElse(t.getValue(), ""),
        Objects.requireNonNullElse(taint.getValue(), ""));
  }
}
