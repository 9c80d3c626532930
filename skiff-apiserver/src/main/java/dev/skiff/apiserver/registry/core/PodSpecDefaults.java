package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code SetDefaults_PodSpec} and container defaults: what every pod spec gets, whether
 * in a pod or in a workload's pod template. Pod-only defaults (service account, tolerations,
 * priority, service links) belong to {@link PodStrategy}.
 */
public final class PodSpecDefaults {
  /** 0644, the mode of files in secret, configMap, downwardAPI and projected volumes. */
  private static final int DEFAULT_FILE_MODE = 0644;

  private PodSpecDefaults() {}

  public static void apply(ObjectNode spec) {
    Json.putIfBlank(spec, "restartPolicy", "Always");
    Json.putIfBlank(spec, "dnsPolicy", "ClusterFirst");
    Json.putIfBlank(spec, "schedulerName", "default-scheduler");
    if (!spec.has("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    Json.objectAt(spec, "securityContext");
    boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          container(container, hostNetwork);
        }
      }
    }
    for (JsonNode v : spec.path("volumes")) {
      if (v instanceof ObjectNode volume) {
        volume(volume);
      }
    }
  }

  /** The volume source defaults: file modes 0644, token lifetime 1 h, an empty source is an emptyDir. */
  private static void volume(ObjectNode v) {
    boolean hasSource = false;
    for (var field : v.properties()) {
      hasSource |= !field.getKey().equals("name") && !field.getValue().isNull();
    }
    if (!hasSource) {
      v.putObject("emptyDir");
    }
    for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
      if (v.get(source) instanceof ObjectNode o && !o.has("defaultMode")) {
        o.put("defaultMode", DEFAULT_FILE_MODE);
      }
    }
    if (v.get("hostPath") instanceof ObjectNode hostPath && !hostPath.has("type")) {
      hostPath.put("type", "");
    }
    fieldRefs(v.path("downwardAPI").path("items"));
    for (JsonNode projection : v.path("projected").path("sources")) {
      fieldRefs(projection.path("downwardAPI").path("items"));
      if (projection.get("serviceAccountToken") instanceof ObjectNode token && !token.has("expirationSeconds")) {
        token.put("expirationSeconds", 3600);
      }
    }
  }

  /** {@code fieldRef.apiVersion} defaults to v1 wherever an object field is selected. */
  private static void fieldRefs(Iterable<JsonNode> holders) {
    for (JsonNode holder : holders) {
      if (holder.get("fieldRef") instanceof ObjectNode ref) {
        Json.putIfBlank(ref, "apiVersion", "v1");
      }
    }
  }

  /** Upstream's probe defaults: 1 s timeout, every 10 s, 1 success, 3 failures. */
  private static void probe(JsonNode node) {
    if (node instanceof ObjectNode p) {
      putIfAbsent(p, "timeoutSeconds", 1);
      putIfAbsent(p, "periodSeconds", 10);
      putIfAbsent(p, "successThreshold", 1);
      putIfAbsent(p, "failureThreshold", 3);
      handler(p);
    }
  }

  /** An action's defaults: httpGet path {@code /} over HTTP, grpc's empty service name. */
  private static void handler(JsonNode node) {
    if (node.get("httpGet") instanceof ObjectNode get) {
      Json.putIfBlank(get, "path", "/");
      Json.putIfBlank(get, "scheme", "HTTP");
    }
    if (node.get("grpc") instanceof ObjectNode grpc && !grpc.has("service")) {
      grpc.put("service", "");
    }
  }

  private static void putIfAbsent(ObjectNode o, String field, int value) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, value);
    }
  }

  private static void container(ObjectNode c, boolean hostNetwork) {
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
        // on the host's network a container port is a host port
        if (hostNetwork && !port.has("hostPort") && port.has("containerPort")) {
          port.set("hostPort", port.get("containerPort"));
        }
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      probe(c.path(probe));
    }
    handler(c.path("lifecycle").path("postStart"));
    handler(c.path("lifecycle").path("preStop"));
    List<JsonNode> envSources = new ArrayList<>();
    c.path("env").forEach(e -> envSources.add(e.path("valueFrom")));
    fieldRefs(envSources);
  }
}
