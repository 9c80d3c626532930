package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FieldSetTest {
  private static JsonNode json(String s) {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fieldsV1RoundTripsWithMembersThatHaveChildren() {
    JsonNode v1 = json("""
        {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
         "f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
        """);
    FieldSet set = FieldSet.fromFieldsV1(v1);
    assertThat(set.paths()).contains(FieldPath.of("metadata", "labels"), FieldPath.of("metadata", "labels", "app"),
        FieldPath.of("spec", "replicas"));
    assertThat(set.paths()).hasSize(6);
    assertThat(set.toFieldsV1()).isEqualTo(v1);
  }

  @Test
  void pathsPrintAsUpstreamDoes() {
    FieldPath p = FieldPath.of("spec", "template", "spec", "containers")
        .child(FieldPath.key(Map.of("name", Json.nodes().stringNode("nginx")))).child(FieldPath.field("image"));
    assertThat(p).hasToString(".spec.template.spec.containers[name=\"nginx\"].image");
    FieldPath port = FieldPath.of("spec", "ports").child(FieldPath.key(
        Map.of("protocol", Json.nodes().stringNode("TCP"), "port", Json.nodes().numberNode(80))));
    assertThat(port.elements().getLast()).isEqualTo("k:{\"port\":80,\"protocol\":\"TCP\"}");
    assertThat(port).hasToString(".spec.ports[port=80,protocol=\"TCP\"]");
    assertThat(FieldPath.of("metadata", "finalizers").child(FieldPath.value(Json.nodes().stringNode("x"))))
        .hasToString(".metadata.finalizers[=\"x\"]");
  }

  @Test
  void setAlgebraIsOnExactPaths() {
    FieldSet a = FieldSet.of(List.of(FieldPath.of("a"), FieldPath.of("a", "b"), FieldPath.of("c")));
    FieldSet b = FieldSet.of(List.of(FieldPath.of("a", "b"), FieldPath.of("d")));
    assertThat(a.intersection(b).paths()).containsExactly(FieldPath.of("a", "b"));
    assertThat(a.difference(b).paths()).containsExactly(FieldPath.of("a"), FieldPath.of("c"));
    assertThat(a.union(b).paths()).hasSize(4);
    assertThat(a.hasMemberBelow(FieldPath.of("a"))).isTrue();
    assertThat(a.hasMemberBelow(FieldPath.of("c"))).isFalse();
    assertThat(a.withoutPrefixes(List.of(FieldPath.of("a"))).paths()).containsExactly(FieldPath.of("c"));
  }
}
