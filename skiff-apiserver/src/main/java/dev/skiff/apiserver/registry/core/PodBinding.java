package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.GenericStore;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code pods/binding} subresource, as upstream's {@code BindingREST}: assigns an unbound pod to
 * a node (what the scheduler does), sets its PodScheduled condition and copies the binding's
 * annotations onto it. A pod already bound, or being deleted, cannot be bound again.
 */
public final class PodBinding {
  private final GenericStore pods;
  private final InstantSource clock;

  public PodBinding(GenericStore pods, InstantSource clock) {
    this.pods = Objects.requireNonNull(pods, "pods");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Binds pod {@code name} to the node {@code binding.target.name}.
   *
   * @throws StatusError 400 for a binding without a target or for another pod, 404 for no such pod,
   *     409 when the pod is already bound or being deleted
   */
  public void bind(String namespace, String name, JsonNode binding) {
    String node = binding.path("target").path("name").asString("");
    if (node.isEmpty()) {
      throw StatusError.invalid("", "Binding", name, List.of(
          FieldError.required("target.name", "")));
    }
    String bindingName = ObjectMeta.name(binding);
    if (!bindingName.isEmpty() && !bindingName.equals(name)) {
      throw StatusError.badRequest("the name of the object (%s) does not match the name on the URL (%s)"
          .formatted(bindingName, name));
    }
    String wantUid = binding.path("metadata").path("uid").asString("");
    pods.systemUpdate(namespace, name, pod -> {
      if (!wantUid.isEmpty() && !wantUid.equals(ObjectMeta.uid(pod))) {
        throw StatusError.conflict("", "pods/binding", name, "Precondition failed: UID in precondition: %s, UID in object meta: %s"
            .formatted(wantUid, ObjectMeta.uid(pod)));
      }
      if (ObjectMeta.isTerminating(pod)) {
        throw StatusError.conflict("", "pods/binding", name, "pod " + name + " is being deleted, cannot be assigned to a host");
      }
      String bound = pod.path("spec").path("nodeName").asString("");
      if (!bound.isEmpty()) {
        throw StatusError.conflict("", "pods/binding", name, "pod " + name + " is already assigned to node \"" + bound + "\"");
      }
      Json.objectAt(pod, "spec").put("nodeName", node);
      for (Map.Entry<String, JsonNode> a : binding.path("metadata").path("annotations").properties()) {
        Json.objectAt(ObjectMeta.of(pod), "annotations").set(a.getKey(), a.getValue().deepCopy());
      }
      ObjectNode status = Json.objectAt(pod, "status");
      ArrayNode conditions = status.path("conditions") instanceof ArrayNode c ? c : status.putArray("conditions");
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if (conditions.get(i).path("type").asString("").equals("PodScheduled")) {
          conditions.remove(i);
        }
      }
      conditions.addObject().put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime")
          .put("lastTransitionTime", ObjectMeta.formatTime(clock.instant()));
      return pod;
    });
  }
}
