package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's conditions as a list to edit, and the write that stores an edited status. A JSON merge
 * patch replaces lists whole, so callers read the pod, edit its full condition list and write
 * that back through {@code pods/status}.
 */
final class PodConditions {

    private PodConditions() {
    }

    /** A mutable copy of the pod's conditions (empty when it has none). */
    static List<PodCondition> of(Pod pod) {
        return new ArrayList<>(pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? List.of() : pod.getStatus().getConditions());
    }

    /** Merge-patches {@code status} (a map of status fields; a null value removes the field). */
    static void patchStatus(PodResource pod, Map<String, Object> status) {
        pod.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    }
}
