package dev.skiff.apiserver.registry.apiextensions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.json.Json;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Defaults and validation of CustomResourceDefinitions. */
class CustomResourceDefinitionStrategyTest {
  private static final CustomResourceDefinitionStrategy STRATEGY =
      new CustomResourceDefinitionStrategy(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
  private static final String V1 = "{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}}";

  record Case(String name, String crd, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static String crd(String name, String group, String scope, String versions) {
    return """
        {"metadata":{"name":"%s"},"spec":{"group":"%s","scope":"%s","names":{"plural":"things","kind":"Thing"},"versions":[%s]}}
        """.formatted(name, group, scope, versions);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("valid", crd("things.e.com", "e.com", "Namespaced", V1), List.of()),
        new Case("name mismatch", crd("stuff.e.com", "e.com", "Namespaced", V1),
            List.of("metadata.name: Invalid value: \"stuff.e.com\": must be spec.names.plural+\".\"+spec.group")),
        new Case("group without dot", crd("things.ecom", "ecom", "Cluster", V1),
            List.of("spec.group: Invalid value: \"ecom\": should be a domain with at least one dot")),
        new Case("bad scope", crd("things.e.com", "e.com", "Global", V1),
            List.of("spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"")),
        new Case("two storage versions", crd("things.e.com", "e.com", "Cluster", V1 + "," + V1.replace("v1", "v2")),
            List.of("spec.versions: Invalid value: [" + V1 + "," + V1.replace("v1", "v2") + "]: must have exactly one version marked as storage version")),
        new Case("no schema", crd("things.e.com", "e.com", "Cluster", "{\"name\":\"v1\",\"served\":true,\"storage\":true}"),
            List.of("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void validates(Case c) {
    ObjectNode obj = (ObjectNode) Json.parse(c.crd().getBytes());
    STRATEGY.prepareForCreate(obj);
    assertThat(STRATEGY.validate(obj).stream().map(FieldError::toString).toList()).containsExactlyElementsOf(c.errors());
  }

  @Test
  void createDefaultsNamesAndAcceptsThem() {
    ObjectNode obj = (ObjectNode) Json.parse(crd("things.e.com", "e.com", "Cluster", V1).getBytes());
    STRATEGY.prepareForCreate(obj);
    assertThat(obj.at("/spec/names/singular").asString()).isEqualTo("thing");
    assertThat(obj.at("/spec/names/listKind").asString()).isEqualTo("ThingList");
    assertThat(obj.at("/spec/conversion/strategy").asString()).isEqualTo("None");
    assertThat(obj.at("/status/acceptedNames/kind").asString()).isEqualTo("Thing");
    assertThat(obj.at("/status/conditions/0/type").asString()).isEqualTo("NamesAccepted");
    assertThat(obj.at("/status/storedVersions/0").asString()).isEqualTo("v1");
    assertThat(obj.at("/metadata/generation").asInt()).isEqualTo(1);
  }

  @Test
  void servedVersionsBecomeStrategiesInPriorityOrder() {
    ObjectNode obj = (ObjectNode) Json.parse(crd("things.e.com", "e.com", "Namespaced",
        V1.replace("\"v1\"", "\"v1beta1\"").replace("\"storage\":true", "\"storage\":false") + "," + V1
            + "," + V1.replace("\"v1\"", "\"v2alpha1\"").replace("\"served\":true", "\"served\":false")).getBytes());
    STRATEGY.prepareForCreate(obj);
    assertThat(CustomResourceDefinitions.strategiesOf(obj).stream().map(s -> s.definition().apiVersion()))
        .containsExactly("e.com/v1", "e.com/v1beta1");
  }
}
