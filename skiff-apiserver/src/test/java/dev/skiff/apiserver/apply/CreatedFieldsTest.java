package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The create path's direct FieldsV1 tree gives exactly what the general comparison gives. */
class CreatedFieldsTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-27T05:00:00Z"));
  private static final ObjectNode CR_SCHEMA = yaml("""
      type: object
      properties:
        spec:
          type: object
          properties:
            ports:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [name]
              items: {type: object, properties: {name: {type: string}, port: {type: integer}}}
            tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
            args: {type: array, items: {type: string}}
            free: {type: object, x-kubernetes-map-type: atomic}
        status: {type: object, properties: {phase: {type: string}}}
      """);

  record Case(String name, JsonNode schema, boolean hasStatus, String subresource, String object) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("configmap", null, false, "", """
            {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n, uid: u, creationTimestamp: x},
             data: {key: value, other: ''}}"""),
        new Case("pod with status", null, true, "", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: n, labels: {app: a}, annotations: {}, finalizers: [f, g, f],
                       ownerReferences: [{uid: u1, name: rs, kind: ReplicaSet, apiVersion: apps/v1}]}
            spec:
              nodeSelector: {disk: ssd}
              containers:
              - name: c
                image: busybox
                env: [{name: A, value: '1'}, {name: B}]
                ports: [{containerPort: 80}, {containerPort: 80, protocol: UDP}]
                resources: {requests: {cpu: 10m}, limits: {}}
                args: [sleep, '1']
              - {name: d, image: busybox, command: null}
              tolerations: [{key: k, operator: Exists}]
              affinity: {nodeAffinity: {}}
            status: {phase: Pending}
            """),
        new Case("deployment", null, true, "", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {app: web}, generation: 1}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
            """),
        new Case("status subresource", null, true, "status", """
            {apiVersion: v1, kind: Pod, metadata: {name: p, labels: {a: b}}, spec: {x: 1}, status: {phase: Running}}"""),
        new Case("nothing owned", null, false, "", """
            {apiVersion: v1, kind: Namespace, metadata: {name: n, uid: u}, spec: {}}"""),
        new Case("scalar spec and top-level extras", null, false, "", """
            {apiVersion: v1, kind: Thing, metadata: {name: t}, spec: 3, type: Opaque, immutable: null, items: []}"""),
        new Case("custom resource", CR_SCHEMA, true, "", """
            {apiVersion: example.com/v1, kind: Thing, metadata: {name: t},
             spec: {ports: [{name: a, port: 1}, {name: b}], tags: [x, y], args: [p], free: {q: 1}, other: {z: {}}},
             status: {phase: New}}"""));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void createRecordsWhatTheGeneralComparisonRecords(Case c) {
    FieldOwnership ownership = new FieldOwnership(ApplySchema.of(c.schema()), "v1", c.hasStatus(), CLOCK);
    WriteOrigin origin = WriteOrigin.update("creator", "", c.subresource());
    ObjectNode created = yaml(c.object());
    ownership.recordUpdate(null, created, origin);

    // the general path: compare with the kind's empty object, leave out the ignored fields, encode
    ObjectNode shell = Json.object();
    shell.putObject("metadata");
    for (String f : List.of("spec", "status")) {
      if (created.path(f).isObject()) {
        shell.putObject(f);
      }
    }
    List<FieldPath> ignored = new java.util.ArrayList<>(FieldOwnership.SERVER_FIELDS);
    if (c.subresource().isEmpty() && c.hasStatus()) {
      ignored.add(FieldPath.of("status"));
    } else if (c.subresource().equals("status")) {
      ignored.add(FieldPath.of("spec"));
      ignored.add(FieldPath.of("metadata"));
    }
    Comparison change = Comparison.of(shell, created, ApplySchema.of(c.schema())).without(ignored);
    FieldSet expected = change.added().union(change.modified());

    JsonNode entries = created.path("metadata").path("managedFields");
    if (expected.isEmpty()) {
      assertThat(entries.isMissingNode()).as("no entry when nothing is owned").isTrue();
      return;
    }
    assertThat(entries.size()).isEqualTo(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("fieldsV1")).isEqualTo(expected.toFieldsV1());
    assertThat(Json.writeString(entry.path("fieldsV1"))).isEqualTo(Json.writeString(expected.toFieldsV1()));
    assertThat(entry.path("manager").asString()).isEqualTo("creator");
    assertThat(entry.path("operation").asString()).isEqualTo("Update");
    assertThat(entry.path("time").asString()).isEqualTo("2026-11-27T05:00:00Z");
    assertThat(entry.path("subresource").asString("")).isEqualTo(c.subresource());
  }

  private static ObjectNode yaml(String s) {
    return (ObjectNode) Json.parseYaml(s.getBytes(StandardCharsets.UTF_8));
  }
}
