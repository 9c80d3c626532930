package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of workloads: an {@code autoscaling/v1 Scale} view of
 * {@code spec.replicas}, {@code status.replicas} and the selector, as {@code kubectl scale} and
 * autoscalers read and write it.
 */
public final class ScaleView {
  private ScaleView() {}

  /** The Scale of a built-in workload {@code obj}. */
  public static ObjectNode of(JsonNode obj) {
    return of(obj, ScalePaths.BUILT_IN);
  }

  /** The Scale of {@code obj}, read at {@code paths}. */
  public static ObjectNode of(JsonNode obj, ScalePaths paths) {
    ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (obj.path("metadata").has(f)) {
        meta.set(f, obj.path("metadata").get(f).deepCopy());
      }
    }
    scale.putObject("spec").put("replicas", ScalePaths.find(obj, paths.specReplicas()).asInt(0));
    JsonNode selectorNode = paths.labelSelector().isEmpty() ? Json.nodes().missingNode()
        : ScalePaths.find(obj, paths.labelSelector());
    String selector = selectorNode.isString() ? selectorNode.asString() : PodTemplates.formatSelector(selectorNode);
    scale.putObject("status").put("replicas", ScalePaths.find(obj, paths.statusReplicas()).asInt(0))
        .put("selector", selector.equals("<none>") ? "" : selector);
    return scale;
  }

  /**
   * The replicas a written Scale asks for.
   *
   * @throws StatusError 422 when they are negative or not a number
   */
  public static int replicas(JsonNode scale, String name) {
    JsonNode r = scale.path("spec").path("replicas");
    if (r.isMissingNode() || r.isNull()) {
      return 0; // as Go decodes a Scale without replicas
    }
    if (!r.isIntegralNumber() || r.asLong() < 0 || r.asLong() > Integer.MAX_VALUE) {
      throw StatusError.invalid("autoscaling", "Scale", name,
          List.of(FieldError.invalid("spec.replicas", r.isMissingNode() ? Json.nodes().nullNode() : r,
              "must be greater than or equal to 0")));
    }
    return r.asInt();
  }

  /** Writes the replicas of {@code scale} into {@code obj} at {@code paths}. */
  public static void setReplicas(ObjectNode obj, ScalePaths paths, int replicas) {
    ScalePaths.set(obj, paths.specReplicas(), replicas);
  }

  /** The resourceVersion a written Scale pins, or "". */
  public static String resourceVersion(JsonNode scale) {
    return ObjectMeta.resourceVersion(scale);
  }
}
