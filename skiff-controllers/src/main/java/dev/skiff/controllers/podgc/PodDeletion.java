package dev.skiff.controllers.podgc;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream podgc's {@code markFailedAndDeletePodWithCondition}: optionally marks a pod that has not
 * finished as Failed with a DisruptionTarget condition (so its Job counts why it went), then
 * deletes it with grace period 0. Best effort per pod: failures are logged, the next round retries.
 */
final class PodDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(PodDeletion.class);

  /** The DisruptionTarget condition's reason and message. */
  record Disruption(String reason, String message) {}

  private final KubernetesClient client;
  private final InstantSource clock;

  PodDeletion(KubernetesClient client, InstantSource clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @param disruption null to delete without marking */
  void forceDelete(Pod pod, Disruption disruption) {
    var api = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
    try {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (disruption != null && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        PodCondition condition = new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
            .withReason(disruption.reason()).withMessage(disruption.message()).withLastTransitionTime(now).build();
        api.editStatus(p -> {
          List<PodCondition> conditions = new ArrayList<>(p.getStatus().getConditions() == null ? List.of() : p.getStatus().getConditions());
          conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
          conditions.add(condition);
          p.getStatus().setConditions(conditions);
          p.getStatus().setPhase("Failed");
          return p;
        });
      }
      api.withGracePeriod(0).delete();
      LOG.info("pod GC deleted {}/{}{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          disruption == null ? "" : ": " + disruption.message());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.info("pod GC could not delete {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.toString());
      }
    }
  }
}
