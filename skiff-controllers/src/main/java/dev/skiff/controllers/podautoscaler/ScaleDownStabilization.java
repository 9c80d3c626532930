package dev.skiff.controllers.podautoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's default scale-down stabilization ({@code stabilizeRecommendation}): the autoscaler
 * never goes below the highest recommendation of the last {@link #WINDOW}, so a short dip in load
 * does not remove pods that are needed again a minute later. Scale-up is not delayed. Keeps one
 * history per HPA; thread-safe.
 */
final class ScaleDownStabilization {
  static final Duration WINDOW = Duration.ofSeconds(300);

  private record Recommendation(Instant at, int replicas) {}

  private final Map<String, Deque<Recommendation>> history = new ConcurrentHashMap<>();

  /** Records {@code recommended} at {@code now} and returns the stabilized replica count. */
  int stabilize(String hpaKey, int recommended, Instant now) {
    Deque<Recommendation> past = history.computeIfAbsent(hpaKey, k -> new ArrayDeque<>());
    synchronized (past) {
      while (!past.isEmpty() && past.peekFirst().at().isBefore(now.minus(WINDOW))) {
        past.pollFirst();
      }
      past.addLast(new Recommendation(now, recommended));
      return past.stream().mapToInt(Recommendation::replicas).max().orElse(recommended);
    }
  }

  void forget(String hpaKey) {
    history.remove(hpaKey);
  }
}
