package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.PodEvictor;
import dev.skiff.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Preemption's writes, as upstream's {@code PreparePotentialVictims}/{@code deletePod}: mark the
 * victim with {@code DisruptionTarget=True} (reason {@code PreemptionByScheduler}), then delete it
 * with its own grace period; and clear {@code status.nominatedNodeName} of pods whose nomination
 * lost its room. A victim already gone counts as evicted.
 */
final class ApiPodEvictor implements PodEvictor {

    private final KubernetesClient client;
    private final String schedulerName;
    private final InstantSource clock;

    ApiPodEvictor(KubernetesClient client, String schedulerName, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void evict(PodInfo victim, PodInfo preemptor) {
        Pod v = victim.pod();
        var resource = client.pods().inNamespace(v.getMetadata().getNamespace()).withName(v.getMetadata().getName());
        // no read first: the cached victim's conditions are recent enough for a condition only the
        // scheduler writes, and one round trip less keeps the preemptor's cycle short (upstream
        // also patches from its cached copy)
        List<PodCondition> conditions = PodConditions.of(v);
        conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("PreemptionByScheduler")
                .withMessage("%s: preempting to accommodate a higher priority pod".formatted(schedulerName))
                .withLastTransitionTime(EventRecorder.format(clock.instant())).build());
        try {
            PodConditions.patchStatus(resource, Map.of("conditions", conditions));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return; // already gone: evicted
            }
            throw e;
        }
        resource.delete();
    }

    @Override
    public void clearNominatedNodeName(PodInfo pod) {
        Map<String, Object> status = new HashMap<>();
        status.put("nominatedNodeName", null);
        PodConditions.patchStatus(client.pods().inNamespace(pod.namespace()).withName(pod.pod().getMetadata().getName()), status);
    }
}
