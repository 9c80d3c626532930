package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FieldOwnershipTest {
  private final FieldOwnership deployments = new FieldOwnership(ApplySchema.of(null), "apps/v1", true,
      InstantSource.fixed(Instant.parse("2026-11-27T02:00:00Z")));

  private static ObjectNode yaml(String s) {
    return (ObjectNode) Json.parseYaml(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode deployment(int replicas, String image) {
    return yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: nginx, image: %s, ports: [{containerPort: 80}]}
        """.formatted(replicas, image));
  }

  private static WriteOrigin applier(String name) {
    return WriteOrigin.apply(name, "");
  }

  private static FieldSet owned(JsonNode obj, String manager) {
    return ManagedFields.read(obj).stream().filter(e -> e.manager().equals(manager)).findFirst()
        .map(ManagedFieldsEntry::fields).orElse(FieldSet.EMPTY);
  }

  @Test
  void applyRecordsWhatTheConfigurationSets() {
    ObjectNode obj = deployments.apply(null, deployment(2, "nginx:1"), applier("a"), false);
    FieldSet a = owned(obj, "a");
    FieldPath container = FieldPath.of("spec", "template", "spec", "containers").child("k:{\"name\":\"nginx\"}");
    assertThat(a.paths()).contains(FieldPath.of("spec", "replicas"), FieldPath.of("spec", "selector"), container,
        container.child("f:image"), container.child("f:ports").child("k:{\"containerPort\":80,\"protocol\":\"TCP\"}"),
        FieldPath.of("metadata", "labels", "app"));
    assertThat(a.paths()).doesNotContain(FieldPath.of("metadata", "name"), FieldPath.of("kind"),
        FieldPath.of("spec", "selector", "matchLabels"), FieldPath.of("metadata", "labels"));
    JsonNode entry = obj.path("metadata").path("managedFields").get(0);
    assertThat(entry.path("operation").asString()).isEqualTo("Apply");
    assertThat(entry.path("fieldsType").asString()).isEqualTo("FieldsV1");
    assertThat(entry.path("time").asString()).isEqualTo("2026-11-27T02:00:00Z");
    assertThat(entry.path("fieldsV1").path("f:spec").path("f:template").path("f:spec").path("f:containers")
        .path("k:{\"name\":\"nginx\"}").has(".")).isTrue();
  }

  @Test
  void anotherApplierChangingAnOwnedFieldConflictsUnlessForced() {
    ObjectNode live = deployments.apply(null, deployment(2, "nginx:1"), applier("a"), false);
    ObjectNode b = yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 5}}");
    assertThatThrownBy(() -> deployments.apply(live, b, applier("b"), false))
        .isInstanceOfSatisfying(StatusError.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.reason()).isEqualTo("Conflict");
          assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas");
          JsonNode cause = e.toStatus().path("details").path("causes").get(0);
          assertThat(cause.path("reason").asString()).isEqualTo("FieldManagerConflict");
          assertThat(cause.path("field").asString()).isEqualTo(".spec.replicas");
        });
    ObjectNode forced = deployments.apply(live, b, applier("b"), true);
    assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(owned(forced, "b").contains(FieldPath.of("spec", "replicas"))).isTrue();
    assertThat(owned(forced, "a").contains(FieldPath.of("spec", "replicas"))).isFalse();
  }

  @Test
  void sameValueIsSharedAndStaysWhenOneApplierDropsIt() {
    ObjectNode live = deployments.apply(null, deployment(2, "nginx:1"), applier("a"), false);
    ObjectNode shared = deployments.apply(live,
        yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 2}}"), applier("b"), false);
    assertThat(owned(shared, "a").contains(FieldPath.of("spec", "replicas"))).isTrue();
    assertThat(owned(shared, "b").contains(FieldPath.of("spec", "replicas"))).isTrue();
    ObjectNode withoutReplicas = deployment(2, "nginx:1");
    ((ObjectNode) withoutReplicas.get("spec")).remove("replicas");
    ObjectNode after = deployments.apply(shared, withoutReplicas, applier("a"), false);
    assertThat(after.path("spec").path("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void appliedNullsAreOwnedButNotStored() {
    ObjectNode config = deployment(2, "nginx:1");
    ((ObjectNode) config.get("spec")).putNull("minReadySeconds");
    ((ObjectNode) config.at("/spec/template/spec")).putNull("hostname");
    ObjectNode created = deployments.apply(null, config, applier("a"), false);
    assertThat(created.path("spec").has("minReadySeconds")).isFalse();
    assertThat(created.at("/spec/template/spec").has("hostname")).isFalse();
    assertThat(owned(created, "a").contains(FieldPath.of("spec", "minReadySeconds"))).isTrue();
  }

  @Test
  void droppedFieldsAndItemsAreRemoved() {
    ObjectNode live = deployments.apply(null, deployment(2, "nginx:1"), applier("a"), false);
    ObjectNode config = deployment(2, "nginx:1");
    ((ObjectNode) config.get("spec")).remove("replicas");
    ((ObjectNode) config.get("metadata")).remove("labels");
    ObjectNode after = deployments.apply(live, config, applier("a"), false);
    assertThat(after.path("spec").has("replicas")).isFalse();
    assertThat(after.path("metadata").path("labels").has("app")).isFalse();
    assertThat(after.path("spec").path("template").path("spec").path("containers").get(0).path("image").asString())
        .isEqualTo("nginx:1");
  }

  @Test
  void updatesTakeOwnershipOfWhatTheyChange() {
    ObjectNode live = deployments.apply(null, deployment(2, "nginx:1"), applier("a"), false);
    ObjectNode scaled = live.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 7);
    deployments.recordUpdate(live, scaled, WriteOrigin.update("", "kubectl-scale/v1.32.0 (linux/amd64)", "scale"));
    assertThat(owned(scaled, "kubectl-scale").paths()).containsExactly(FieldPath.of("spec", "replicas"));
    assertThat(owned(scaled, "a").contains(FieldPath.of("spec", "replicas"))).isFalse();
    ManagedFieldsEntry scale = ManagedFields.read(scaled).stream().filter(e -> e.manager().equals("kubectl-scale"))
        .findFirst().orElseThrow();
    assertThat(scale.operation()).isEqualTo(ManagedFieldsEntry.Operation.UPDATE);
    assertThat(scale.subresource()).isEqualTo("scale");
    // the applier no longer owns replicas: leaving it out keeps the scaled value; setting it conflicts
    ObjectNode config = deployment(2, "nginx:1");
    ((ObjectNode) config.get("spec")).remove("replicas");
    assertThat(deployments.apply(scaled, config, applier("a"), false).path("spec").path("replicas").asInt())
        .isEqualTo(7);
    assertThatThrownBy(() -> deployments.apply(scaled, deployment(3, "nginx:1"), applier("a"), false))
        .hasMessage("Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\" "
            + "using apps/v1: .spec.replicas");
  }

  @Test
  void explicitManagedFieldsReplaceAndEmptyEntryClears() {
    ObjectNode live = deployments.apply(null, deployment(2, "nginx:1"), applier("a"), false);
    ObjectNode cleared = live.deepCopy();
    ((ObjectNode) cleared.get("metadata")).putArray("managedFields").addObject();
    deployments.recordUpdate(live, cleared, WriteOrigin.update("m", "", ""));
    assertThat(cleared.path("metadata").has("managedFields")).isFalse();
    ObjectNode untouched = live.deepCopy();
    ((ObjectNode) untouched.get("metadata")).remove("managedFields");
    deployments.recordUpdate(live, untouched, WriteOrigin.update("m", "", ""));
    assertThat(ManagedFields.read(untouched)).isEqualTo(ManagedFields.read(live));
  }

  @Test
  void customResourceListsFollowTheirSchema() {
    ObjectNode schema = yaml("""
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
        """);
    FieldOwnership crs = new FieldOwnership(ApplySchema.of(schema), "example.com/v1", false, InstantSource.system());
    ObjectNode live = crs.apply(null, yaml("""
        {apiVersion: example.com/v1, kind: Thing, metadata: {name: t},
         spec: {ports: [{name: a, port: 1}], tags: [x], args: [p]}}"""), applier("one"), false);
    ObjectNode after = crs.apply(live, yaml("""
        {apiVersion: example.com/v1, kind: Thing, metadata: {name: t},
         spec: {ports: [{name: b, port: 2}], tags: [y]}}"""), applier("two"), false);
    assertThat(after.path("spec").path("ports")).hasSize(2);
    assertThat(after.path("spec").path("tags")).hasSize(2);
    assertThat(owned(after, "two").paths()).contains(
        FieldPath.of("spec", "ports").child("k:{\"name\":\"b\"}"), FieldPath.of("spec", "tags").child("v:\"y\""));
    assertThatThrownBy(() -> crs.apply(after, yaml("""
        {apiVersion: example.com/v1, kind: Thing, metadata: {name: t}, spec: {args: [q]}}"""), applier("two"), false))
        .hasMessage("Apply failed with 1 conflict: conflict with \"one\": .spec.args");
    ObjectNode dropped = crs.apply(after, yaml("""
        {apiVersion: example.com/v1, kind: Thing, metadata: {name: t}, spec: {tags: [y]}}"""), applier("two"), false);
    assertThat(List.of(dropped.path("spec").path("ports").size())).containsExactly(1);
  }
  /** The sequence of upstream's conformance test "should work for CRDs", on the ownership logic alone. */
  @Test
  void upstreamCustomResourceSequence() {
    ObjectNode schema = yaml("""
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
            properties:
              cronSpec: {type: string}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [containerPort, protocol]
                items: {type: object, properties: {containerPort: {type: integer}, name: {type: string}, protocol: {type: string}}}
        """);
    FieldOwnership crs = new FieldOwnership(ApplySchema.of(schema), "example.com/v1", false, InstantSource.system());
    ObjectNode config = yaml("""
        {apiVersion: example.com/v1, kind: Noxu, metadata: {name: mytest, finalizers: [test-finalizer]},
         spec: {cronSpec: "* * * * */5", replicas: 1, ports: [{name: x, containerPort: 80, protocol: TCP}]}}""");
    ObjectNode live = crs.apply(null, config, applier("apply_test"), false);
    assertThat(owned(live, "apply_test").contains(FieldPath.of("spec", "replicas"))).isTrue();

    // a merge patch adds a finalizer; re-applying the same config keeps both (finalizers are a set)
    ObjectNode patched = live.deepCopy();
    ((ObjectNode) patched.get("metadata")).putArray("finalizers").add("test-finalizer").add("another-one");
    crs.recordUpdate(live, patched, WriteOrigin.update("", "e2e.test/v1.32", ""));
    ObjectNode reapplied = crs.apply(patched, config, applier("apply_test"), false);
    assertThat(reapplied.path("metadata").path("finalizers")).hasSize(2);

    // a merge patch changes replicas: re-applying conflicts on exactly that field, force wins
    ObjectNode scaled = reapplied.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    crs.recordUpdate(reapplied, scaled, WriteOrigin.update("", "e2e.test/v1.32", ""));
    assertThatThrownBy(() -> crs.apply(scaled, config, applier("apply_test"), false))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.toStatus().path("details").path("causes"))
            .hasSize(1));
    ObjectNode forced = crs.apply(scaled, config, applier("apply_test"), true);
    assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(1);

    // a second applier changing an existing item conflicts once; adding a new item works
    ObjectNode edit = yaml("""
        {apiVersion: example.com/v1, kind: Noxu, metadata: {name: mytest},
         spec: {ports: [{name: "y", containerPort: 80, protocol: TCP}]}}""");
    assertThatThrownBy(() -> crs.apply(forced, edit, applier("apply_test_2"), false))
        .hasMessage("Apply failed with 1 conflict: conflict with \"apply_test\": "
            + ".spec.ports[containerPort=80,protocol=\"TCP\"].name");
    ObjectNode add = yaml("""
        {apiVersion: example.com/v1, kind: Noxu, metadata: {name: mytest},
         spec: {ports: [{name: "y", containerPort: 8080, protocol: TCP}]}}""");
    assertThat(crs.apply(forced, add, applier("apply_test_2"), false).path("spec").path("ports")).hasSize(2);
  }
  /** Upstream's conformance test "should create an applied object" compares these FieldsV1 byte for byte. */
  @Test
  void createdByApplyRecordsUpstreamsExactFieldsV1() {
    FieldOwnership core = new FieldOwnership(ApplySchema.of(null), "v1", true, InstantSource.system());
    ObjectNode pod = core.apply(null, yaml("""
        {apiVersion: v1, kind: Pod, metadata: {name: test-pod},
         spec: {containers: [{name: test-container, image: test-image}]}}"""), applier("apply_test"), false);
    ObjectNode svc = core.apply(null, yaml("""
        {apiVersion: v1, kind: Service, metadata: {name: test-svc}, spec: {ports: [{port: 8080, protocol: UDP}]}}"""),
        applier("apply_test"), false);
    assertThat(Json.writeString(pod.path("metadata").path("managedFields").get(0).path("fieldsV1"))).isEqualTo(
        "{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"test-container\\\"}\":"
            + "{\".\":{},\"f:image\":{},\"f:name\":{}}}}}");
    assertThat(Json.writeString(svc.path("metadata").path("managedFields").get(0).path("fieldsV1"))).isEqualTo(
        "{\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":8080,\\\"protocol\\\":\\\"UDP\\\"}\":"
            + "{\".\":{},\"f:port\":{},\"f:protocol\":{}}}}}");
  }
  @Test
  void duplicateKeysInTheConfigurationAreRefusedAsUpstreamDoes() {
    ObjectNode config = deployment(1, "nginx:1");
    ObjectNode container = (ObjectNode) config.at("/spec/template/spec/containers/0");
    container.putArray("env").add(Json.object().put("name", "A").put("value", "1"))
        .add(Json.object().put("name", "A").put("value", "2"));
    ((ObjectNode) config.get("metadata")).put("namespace", "default");
    assertThatThrownBy(() -> deployments.apply(null, config, applier("a"), false))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.code()).isEqualTo(500))
        .hasMessage("failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
            + ".spec.template.spec.containers[name=\"nginx\"].env: duplicate entries for key [name=\"A\"]");
  }
}
