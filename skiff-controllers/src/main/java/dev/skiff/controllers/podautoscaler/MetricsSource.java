package dev.skiff.controllers.podautoscaler;

/**
 * Where the autoscaler reads a target's resource usage (upstream's resource metrics client over
 * {@code metrics.k8s.io}). Skiff serves no metrics API yet, so {@link #NONE} answers that it is
 * unavailable; a kubelet-stats source can be plugged in through
 * {@link HorizontalPodAutoscalerController}'s constructor. Implementations are thread-safe.
 */
public interface MetricsSource {
  /** No metrics API: every read fails as upstream's does when {@code pods.metrics.k8s.io} is not served. */
  MetricsSource NONE = (namespace, selector, resource) -> {
    throw new MetricsUnavailableException("unable to get metrics for resource " + resource
        + ": unable to fetch metrics from resource metrics API: the server could not find the requested resource "
        + "(get pods.metrics.k8s.io)");
  };

  /**
   * The average usage of {@code resource} over the ready pods that {@code selector} (a label
   * selector in its string form) selects in {@code namespace}, as a percentage of their requests.
   *
   * @throws MetricsUnavailableException when there is no reading
   */
  Utilization utilization(String namespace, String selector, String resource) throws MetricsUnavailableException;

  /** Average utilization in percent of requests, over {@code pods} pods. */
  record Utilization(double averagePercent, int pods) {}

  /** No reading: the message says why, for the HPA's conditions and events. */
  final class MetricsUnavailableException extends Exception {
    public MetricsUnavailableException(String message) {
      super(message);
    }
  }
}
