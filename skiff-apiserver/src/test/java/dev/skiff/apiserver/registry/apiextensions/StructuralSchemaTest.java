package dev.skiff.apiserver.registry.apiextensions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Validation, defaulting and pruning of custom resources against their structural schema. */
class StructuralSchemaTest {
  private static final StructuralSchema SCHEMA = new StructuralSchema(Json.parse("""
      {"type":"object","properties":{"spec":{"type":"object","required":["size"],"properties":{
        "size":{"type":"integer","minimum":1,"maximum":5},
        "mode":{"type":"string","enum":["a","b"],"default":"a"},
        "name":{"type":"string","pattern":"^[a-z]+$","minLength":2,"maxLength":4},
        "port":{"x-kubernetes-int-or-string":true},
        "tags":{"type":"array","maxItems":2,"items":{"type":"string"}},
        "labels":{"type":"object","additionalProperties":{"type":"string"}},
        "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
        "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0}}}}}
      """.getBytes()));

  record Case(String name, String spec, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("valid", "{\"size\":3,\"name\":\"abc\",\"port\":\"http\",\"tags\":[\"x\"]}", List.of()),
        new Case("required", "{}", List.of("spec.size: Required value")),
        new Case("type", "{\"size\":\"3\"}", List.of("spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"")),
        new Case("minimum", "{\"size\":0}", List.of("spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1")),
        new Case("maximum", "{\"size\":6}", List.of("spec.size: Invalid value: 6: spec.size in body should be less than or equal to 5")),
        new Case("exclusive minimum", "{\"size\":1,\"ratio\":0}", List.of("spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0")),
        new Case("enum", "{\"size\":1,\"mode\":\"c\"}", List.of("spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"")),
        new Case("pattern", "{\"size\":1,\"name\":\"AB\"}", List.of("spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'")),
        new Case("minLength", "{\"size\":1,\"name\":\"a\"}", List.of("spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long")),
        new Case("maxLength", "{\"size\":1,\"name\":\"abcde\"}", List.of("spec.name: Too long: may not be more than 4 bytes")),
        new Case("int-or-string", "{\"size\":1,\"port\":true}", List.of("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer-or-string: \"boolean\"")),
        new Case("array items", "{\"size\":1,\"tags\":[\"x\",1]}", List.of("spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: \"integer\"")),
        new Case("additionalProperties", "{\"size\":1,\"labels\":{\"k\":2}}", List.of("spec.labels.k: Invalid value: \"integer\": spec.labels.k in body must be of type string: \"integer\"")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void validates(Case c) {
    ObjectNode obj = Json.object();
    obj.set("spec", Json.parse(c.spec().getBytes()));
    obj.putObject("metadata").put("name", "x");
    assertThat(SCHEMA.validate(obj).stream().map(FieldError::toString).toList()).containsExactlyElementsOf(c.errors());
  }

  @Test
  void defaultsAndPrunes() {
    ObjectNode obj = (ObjectNode) Json.parse("""
        {"apiVersion":"e.com/v1","kind":"K","metadata":{"name":"x","labels":{"a":"b"}},"top":1,
         "spec":{"size":1,"junk":true,"free":{"any":{"thing":1}},"labels":{"k":"v"}}}
        """.getBytes());
    assertThat(SCHEMA.unknownFields(obj)).containsExactly("top", "spec.junk");
    SCHEMA.prune(obj);
    SCHEMA.applyDefaults(obj);
    assertThat(obj.has("top")).isFalse();
    assertThat(obj.path("spec").has("junk")).isFalse();
    assertThat(obj.path("spec").path("free").path("any").path("thing").asInt()).isEqualTo(1);
    assertThat(obj.path("spec").path("mode").asString()).isEqualTo("a");
    assertThat(obj.path("metadata").path("labels").path("a").asString()).isEqualTo("b");
  }

  @Test
  void structuralChecks() {
    assertThat(StructuralSchema.check(Json.parse("{\"type\":\"string\"}".getBytes()), "s").stream().map(FieldError::toString))
        .containsExactly("s.type: Invalid value: \"string\": must be object at the root");
    assertThat(StructuralSchema.check(Json.parse("{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":{\"type\":\"array\"}}}".getBytes()), "s")
        .stream().map(FieldError::toString))
        .containsExactlyInAnyOrder("s.properties[a].type: Required value: must not be empty for specified object fields",
            "s.properties[b].items: Required value: must be specified");
  }

  @Test
  void versionPriority() {
    List<String> versions = new java.util.ArrayList<>(List.of("v1alpha1", "v2beta1", "foo", "v1", "v1beta2", "v2", "v1beta1"));
    versions.sort(VersionPriority::compare);
    assertThat(versions).containsExactly("v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo");
  }
}
