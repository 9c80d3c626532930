package dev.skiff.kubelet.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's core/v1 Events about pods and their containers (Pulled, Created, Started, Killing,
 * Unhealthy, BackOff, FailedMount), posted from a virtual thread each so that a slow or failing
 * API server never holds a pod's sync; a failed post is logged and dropped, as upstream's recorder
 * does when its queue is full.
 */
final class PodEvents {

  private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final AtomicLong sequence = new AtomicLong(System.nanoTime());

  PodEvents(KubernetesClient client, String nodeName) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
  }

  void normal(Pod pod, Container container, String reason, String message) {
    post(pod, container, "Normal", reason, message);
  }

  void warning(Pod pod, Container container, String reason, String message) {
    post(pod, container, "Warning", reason, message);
  }

  private void post(Pod pod, Container container, String type, String reason, String message) {
    var meta = pod.getMetadata();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata().withNamespace(meta.getNamespace())
        .withName(meta.getName() + "." + Long.toHexString(sequence.incrementAndGet())).endMetadata()
        .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(meta.getNamespace())
        .withName(meta.getName()).withUid(meta.getUid())
        .withFieldPath(container == null ? null : "spec.containers{" + container.getName() + "}").endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
        .withReportingComponent("kubelet").withReportingInstance(nodeName)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    Thread.ofVirtual().name("event-" + reason).start(() -> {
      try {
        client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
      } catch (RuntimeException e) {
        LOG.debug("event {} for pod {}/{} not posted: {}", reason, meta.getNamespace(), meta.getName(), e.toString());
      }
    });
  }
}
