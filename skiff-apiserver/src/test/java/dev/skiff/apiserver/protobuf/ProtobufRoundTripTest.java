package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects written in protobuf from the schema (as Go's encoder writes them) decode to the very JSON
 * they came from: nothing the client sent is dropped or changed.
 */
class ProtobufRoundTripTest {
  private final ProtoSchema schema = ProtoSchema.builtIn();
  private final ProtobufDecoder decoder = new ProtobufDecoder(schema);
  private final SchemaEncoder encoder = new SchemaEncoder(schema);

  /** decode(encode(obj)) as plain JSON: Go's int64 fields come back as longs, so compare the text's tree. */
  private ObjectNode roundTrip(ObjectNode obj) {
    return (ObjectNode) Json.parse(Json.write(decoder.decode(encoder.encode(obj))));
  }

  @Test
  void aPodWithEveryFieldKubectlUsersWriteSurvives() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("rich-pod.json")) {
      ObjectNode pod = (ObjectNode) Json.parse(in.readAllBytes());
      ObjectNode decoded = roundTrip(pod);
      assertThat(decoded).isEqualTo(pod);
      // the inline parts really came through the embedded messages
      assertThat(decoded.at("/spec/volumes/0/configMap/name").asString()).isEqualTo("settings");
      assertThat(decoded.at("/spec/containers/0/livenessProbe/httpGet/port").asInt()).isEqualTo(8080);
      assertThat(decoded.at("/spec/ephemeralContainers/0/image").asString()).isEqualTo("busybox");
      // pointer fields keep explicit zeros and false
      assertThat(decoded.at("/spec/containers/0/securityContext/runAsUser").isNumber()).isTrue();
      assertThat(decoded.at("/spec/automountServiceAccountToken").isBoolean()).isTrue();
    }
  }

  @Test
  void workloadsRbacAndNetworkingKindsSurvive() {
    String template = """
        {"metadata": {"labels": {"job": "x"}}, "spec": {"restartPolicy": "Never",
          "containers": [{"name": "c", "image": "busybox", "command": ["date"]}]}}""";
    for (String json : new String[] {
        """
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "namespace": "default"},
         "spec": {"schedule": "*/1 * * * *", "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid", "suspend": false,
          "startingDeadlineSeconds": 30, "successfulJobsHistoryLimit": 0, "failedJobsHistoryLimit": 1,
          "jobTemplate": {"metadata": {"name": "c"}, "spec": {"backoffLimit": 0, "completions": 2, "parallelism": 1,
            "completionMode": "Indexed", "backoffLimitPerIndex": 1, "ttlSecondsAfterFinished": 60, "podReplacementPolicy": "Failed",
            "podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"containerName": "c", "operator": "In", "values": [1, 42]}},
              {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]},
            "successPolicy": {"rules": [{"succeededIndexes": "0-1", "succeededCount": 1}]},
            "template": %s}}}}""".formatted(template),
        """
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"},
         "rules": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["a"]}, {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}],
         "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"agg": "true"}}]}}""",
        """
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b", "namespace": "default"},
         "subjects": [{"kind": "ServiceAccount", "name": "sa", "namespace": "default"}, {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"}],
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"}}""",
        """
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "namespace": "default"},
         "spec": {"ingressClassName": "nginx", "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
          "tls": [{"hosts": ["a.example"], "secretName": "tls"}],
          "rules": [{"host": "a.example", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}},
            {"path": "/r", "pathType": "Exact", "backend": {"resource": {"apiGroup": "example.com", "kind": "Bucket", "name": "b"}}}]}}]}}""",
        """
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p", "namespace": "default"},
         "spec": {"maxUnavailable": "25%", "selector": {"matchLabels": {"app": "web"}}, "unhealthyPodEvictionPolicy": "AlwaysAllow"}}""",
        """
        {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q", "namespace": "default"},
         "spec": {"hard": {"pods": "10", "requests.cpu": "2"}, "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}}}""",
        """
        {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "metadata": {},
         "spec": {"user": "alice", "groups": ["devs"], "extra": {"scopes": ["a", "b"]},
          "resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "default"}},
         "status": {"allowed": false}}""",
        """
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "static", "namespace": "default"},
         "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "", "volumeName": "pv",
          "resources": {"requests": {"storage": "1Gi"}}}}""",
        """
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"},
         "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOnce"], "persistentVolumeReclaimPolicy": "Retain",
          "hostPath": {"path": "/mnt/pv"}, "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "n", "operator": "In", "values": ["a"]}]}]}}}}""",
        """
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h", "namespace": "default"},
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5,
          "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}],
          "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Max", "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}}}}""",
        """
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s", "namespace": "default"},
         "spec": {"replicas": 0, "serviceName": "s", "selector": {"matchLabels": {"job": "x"}}, "podManagementPolicy": "Parallel",
          "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}},
          "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"}, "ordinals": {"start": 3},
          "volumeClaimTemplates": [{"metadata": {"name": "d"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
          "template": %s}}""".formatted(template)}) {
      ObjectNode original = (ObjectNode) Json.parse(json.getBytes());
      assertThat(roundTrip(original)).as(json).isEqualTo(original);
    }
  }
}
