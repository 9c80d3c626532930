package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the {@code scale} subresource finds a resource's replicas and selector, as a CRD's
 * {@code subresources.scale} states them ({@code .spec.replicas}); the built-in workloads use
 * {@link #BUILT_IN}.
 *
 * @param specReplicas the dotted path of the desired replicas
 * @param statusReplicas the dotted path of the observed replicas
 * @param labelSelector the dotted path of the selector (a string for custom resources, a
 *     LabelSelector object or label map for built-ins), or "" for none
 */
public record ScalePaths(String specReplicas, String statusReplicas, String labelSelector) {
  public static final ScalePaths BUILT_IN = new ScalePaths(".spec.replicas", ".status.replicas", ".spec.selector");

  public ScalePaths {
    Objects.requireNonNull(specReplicas, "specReplicas");
    Objects.requireNonNull(statusReplicas, "statusReplicas");
    Objects.requireNonNull(labelSelector, "labelSelector");
  }

  /** The value at dotted {@code path} of {@code obj}, or a missing node. */
  public static JsonNode find(JsonNode obj, String path) {
    JsonNode n = obj;
    for (String part : parts(path)) {
      n = n.path(part);
    }
    return n;
  }

  /** Sets {@code value} at dotted {@code path}, creating the objects on the way. */
  static void set(ObjectNode obj, String path, int value) {
    List<String> parts = parts(path);
    ObjectNode n = obj;
    for (String part : parts.subList(0, parts.size() - 1)) {
      n = Json.objectAt(n, part);
    }
    n.put(parts.getLast(), value);
  }

  private static List<String> parts(String path) {
    String p = path.startsWith(".") ? path.substring(1) : path;
    return p.isEmpty() ? List.of() : List.of(p.split("\\."));
  }
}
