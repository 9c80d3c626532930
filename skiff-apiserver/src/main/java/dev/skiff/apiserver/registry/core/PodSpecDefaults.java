package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code SetDefaults_PodSpec} and container defaults: what every pod spec gets, whether
 * in a pod or in a workload's pod template. Pod-only defaults (service account, tolerations,
 * priority, service links) belong to {@link PodStrategy}.
 */
public final class PodSpecDefaults {
  private PodSpecDefaults() {}

  public static void apply(ObjectNode spec) {
    Json.putIfBlank(spec, "restartPolicy", "Always");
    Json.putIfBlank(spec, "dnsPolicy", "ClusterFirst");
    Json.putIfBlank(spec, "schedulerName", "default-scheduler");
    if (!spec.has("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    Json.objectAt(spec, "securityContext");
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          container(container);
        }
      }
    }
  }

  private static void container(ObjectNode c) {
    String image = c.path("image").asString("");
    String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/')
        ? image.substring(image.lastIndexOf(':') + 1) : "latest";
    Json.putIfBlank(c, "imagePullPolicy", tag.equals("latest") ? "Always" : "IfNotPresent");
    Json.putIfBlank(c, "terminationMessagePath", "/dev/termination-log");
    Json.putIfBlank(c, "terminationMessagePolicy", "File");
    Json.objectAt(c, "resources");
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port) {
        Json.putIfBlank(port, "protocol", "TCP");
      }
    }
  }
}
