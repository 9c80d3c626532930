package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class UnknownFieldsTest {
  private static final ProtoSchema SCHEMA = ProtoSchema.builtIn();
  private final UnknownFields unknownFields = new UnknownFields(SCHEMA);

  /** A Deployment that uses most corners of a pod template: every field here is real. */
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
        annotations: {note: "x"}
        ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: o, uid: u1, controller: true}]
        managedFields:
        - manager: kubectl
          operation: Apply
          fieldsType: FieldsV1
          fieldsV1: {"f:spec": {"f:replicas": {}}}
      spec:
        replicas: 2
        strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
        selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [a]}]}
        template:
          metadata: {labels: {app: web}}
          spec:
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 10
                  podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}
            tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]
            topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]
            volumes:
            - {name: cfg, configMap: {name: c, items: [{key: a, path: b}]}}
            - {name: tmp, emptyDir: {sizeLimit: 1Gi}}
            initContainers:
            - {name: init, image: busybox, restartPolicy: Always}
            containers:
            - name: web
              image: nginx
              ports: [{containerPort: 80, name: http, protocol: TCP}]
              env:
              - {name: A, value: "1"}
              - {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
              resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: "1"}}
              readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 5}
              livenessProbe: {tcpSocket: {port: 80}}
              securityContext: {runAsNonRoot: true, capabilities: {drop: [ALL]}}
              volumeMounts: [{name: cfg, mountPath: /etc/cfg, readOnly: true}]
      status:
        conditions: [{type: Available, status: "True", lastUpdateTime: "2026-01-01T00:00:00Z"}]
      """;

  @Test
  void aCompleteObjectHasNoUnknownFieldsAndIsLeftAlone() {
    ObjectNode deployment = yaml(DEPLOYMENT);
    ObjectNode before = deployment.deepCopy();

    assertThat(unknownFields.prune(root("apps/v1", "Deployment"), deployment)).isEmpty();
    assertThat(deployment).isEqualTo(before);
  }

  @Test
  void unknownFieldsAtAnyDepthAreNamedAsUpstreamAndRemoved() {
    ObjectNode deployment = yaml(DEPLOYMENT);
    deployment.put("extra", 1);
    ((ObjectNode) deployment.get("metadata")).put("labelz", "x");
    ((ObjectNode) deployment.get("spec")).put("replicass", 3);
    ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
    container.put("imagePullPolicyy", "Always");
    ((ObjectNode) container.at("/ports/0")).put("hostport", 8080);
    ((ObjectNode) container.at("/readinessProbe/httpGet")).put("paht", "/x");

    // in document order: the fields put above went to the end of their objects
    assertThat(unknownFields.prune(root("apps/v1", "Deployment"), deployment)).containsExactly(
        "metadata.labelz",
        "spec.template.spec.containers[0].ports[0].hostport",
        "spec.template.spec.containers[0].readinessProbe.httpGet.paht",
        "spec.template.spec.containers[0].imagePullPolicyy",
        "spec.replicass",
        "extra");
    assertThat(deployment).isEqualTo(yaml(DEPLOYMENT));
  }

  @Test
  void rawJsonIsNotLookedInto() {
    ObjectNode revision = yaml("""
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata: {name: r}
        revision: 1
        data: {anything: {goes: here}}
        """);
    assertThat(unknownFields.prune(root("apps/v1", "ControllerRevision"), revision)).isEmpty();
    assertThat(revision.at("/data/anything/goes").asString()).isEqualTo("here");
  }

  @Test
  void embeddedTypeInformationIsKnown() {
    ObjectNode eviction = yaml("""
        apiVersion: policy/v1
        kind: Eviction
        metadata: {name: p}
        deleteOptions: {apiVersion: v1, kind: DeleteOptions, gracePeriodSeconds: 0, bogus: 1}
        """);
    assertThat(unknownFields.prune(root("policy/v1", "Eviction"), eviction)).containsExactly("deleteOptions.bogus");
  }

  private static ProtoMessage root(String apiVersion, String kind) {
    return SCHEMA.root(apiVersion, kind).orElseThrow();
  }

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Json.parseYaml(text.getBytes(StandardCharsets.UTF_8));
  }
}
