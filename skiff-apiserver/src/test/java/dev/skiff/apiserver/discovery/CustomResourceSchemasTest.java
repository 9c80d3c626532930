package dev.skiff.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The v3-to-v2 schema conversion, the published custom kinds, and the gnostic encoding of the result. */
class CustomResourceSchemasTest {
  record Case(String name, String v3, String v2) {}

  static List<Case> conversions() {
    return List.of(
        new Case("plain schemas are kept, validations included",
            "{'type':'object','properties':{'a':{'type':'string','enum':['x'],'pattern':'^x$'}}}",
            "{'type':'object','properties':{'a':{'type':'string','enum':['x'],'pattern':'^x$'}}}"),
        new Case("junctors are dropped",
            "{'type':'object','anyOf':[{'required':['a']}],'properties':{'a':{'type':'string','not':{'enum':['y']}}}}",
            "{'type':'object','properties':{'a':{'type':'string'}}}"),
        new Case("nullable loses type and nested schemas, and is no longer required",
            "{'type':'object','required':['a','b'],'properties':{'a':{'type':'object','nullable':true,"
                + "'properties':{'c':{'type':'string'}}},'b':{'type':'string'}}}",
            "{'type':'object','required':['b'],'properties':{'a':{},'b':{'type':'string'}}}"),
        new Case("preserving unknown fields loses object type and properties",
            "{'type':'object','properties':{'a':{'type':'object','x-kubernetes-preserve-unknown-fields':true,"
                + "'properties':{'c':{'type':'string'}}}}}",
            "{'type':'object','properties':{'a':{'x-kubernetes-preserve-unknown-fields':true}}}"),
        new Case("an array without items loses its type",
            "{'type':'object','properties':{'a':{'type':'array','nullable':true,'items':{'type':'string'}}}}",
            "{'type':'object','properties':{'a':{}}}"),
        new Case("int-or-string keeps only its marker",
            "{'type':'object','properties':{'p':{'x-kubernetes-int-or-string':true,"
                + "'anyOf':[{'type':'integer'},{'type':'string'}]}}}",
            "{'type':'object','properties':{'p':{'x-kubernetes-int-or-string':true}}}"));
  }

  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conversions")
  void convertsToV2AsUpstream(Case c) {
    ObjectNode s = (ObjectNode) json(c.v3());
    CustomResourceSchemas.toV2(s);
    assertThat(s).isEqualTo(json(c.v2()));
  }

  private static final ResourceDefinition CRON_TAB = new ResourceDefinition("stable.example.com", "v1", "CronTab",
      "crontabs", "crontab", true, ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of());

  @Test
  void customKindGetsTypeMetaObjectMetaAndItsGroupVersionKind() {
    ObjectNode v2 = CustomResourceSchemas.kind(CRON_TAB,
        json("{'type':'object','description':'d','properties':{'spec':{'type':'object','nullable':true}}}"),
        true, "#/definitions/");
    assertThat(CustomResourceSchemas.definitionName(CRON_TAB, "CronTab")).isEqualTo("com.example.stable.v1.CronTab");
    assertThat(v2.path("properties").path("metadata").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(v2.path("properties").path("apiVersion").path("type").asString()).isEqualTo("string");
    assertThat(v2.path("properties").path("spec").has("type")).isFalse();
    assertThat(v2.path("x-kubernetes-group-version-kind").get(0))
        .isEqualTo(json("{'group':'stable.example.com','kind':'CronTab','version':'v1'}"));
    ObjectNode v3 = CustomResourceSchemas.kind(CRON_TAB,
        json("{'type':'object','properties':{'spec':{'type':'object','nullable':true}}}"), false,
        "#/components/schemas/");
    assertThat(v3.path("properties").path("spec").path("nullable").asBoolean()).isTrue();
    assertThat(v3.path("properties").path("metadata").path("allOf").get(0).path("$ref").asString())
        .endsWith("ObjectMeta");
  }

  @Test
  void rootPreservingUnknownFieldsIsABareObjectInV2() {
    ObjectNode v2 = CustomResourceSchemas.kind(CRON_TAB,
        json("{'type':'object','x-kubernetes-preserve-unknown-fields':true}"), true, "#/definitions/");
    v2.remove("x-kubernetes-group-version-kind");
    assertThat(v2).isEqualTo(json("{'type':'object'}"));
  }

  @Test
  void embeddedResourcesGetTypeAndObjectMeta() {
    ObjectNode v2 = CustomResourceSchemas.kind(CRON_TAB, json("{'type':'object','properties':{'template':"
        + "{'type':'object','x-kubernetes-embedded-resource':true,'properties':{'x':{'type':'string'}}}}}"),
        true, "#/definitions/");
    JsonNode template = v2.path("properties").path("template");
    assertThat(template.path("properties").has("metadata")).isTrue();
    assertThat(template.path("required")).isEqualTo(json("['kind','apiVersion']"));
  }

  @Test
  void gnosticEncodingCarriesDefinitionsPathsAndExtensions() {
    JsonNode doc = json("{'swagger':'2.0','info':{'title':'Kubernetes','version':'v1.32.0'},"
        + "'paths':{'/api/v1/pods':{'parameters':[{'in':'query','name':'pretty','type':'string','uniqueItems':true}],"
        + "'get':{'operationId':'listCoreV1PodForAllNamespaces','x-kubernetes-action':'list',"
        + "'responses':{'200':{'description':'OK','schema':{'$ref':'#/definitions/P'}}}}}},"
        + "'definitions':{'P':{'type':'object','required':['a'],'properties':{'a':{'type':'array',"
        + "'items':{'type':'string'},'maxItems':3,'x-kubernetes-patch-strategy':'merge'}},"
        + "'additionalProperties':false}}}");
    ProtoFields d = ProtoFields.parse(OpenApiV2Protobuf.encode(doc));
    assertThat(d.string(1)).isEqualTo("2.0");
    assertThat(d.message(2).string(2)).isEqualTo("v1.32.0");
    ProtoFields path = d.message(8).named(2).get("/api/v1/pods");
    ProtoFields get = path.message(2);
    assertThat(get.string(5)).isEqualTo("listCoreV1PodForAllNamespaces");
    assertThat(get.named(13).get("x-kubernetes-action").string(2).strip()).isEqualTo("\"list\"");
    ProtoFields response = get.message(9).named(1).get("200").message(1);
    assertThat(response.message(2).message(1).string(1)).isEqualTo("#/definitions/P");
    ProtoFields query = path.message(9).message(1).message(2).message(3);
    assertThat(query.string(4)).isEqualTo("pretty");
    assertThat(query.string(6)).isEqualTo("string");
    assertThat(query.all(20)).containsExactly(1L);
    ProtoFields p = d.message(9).named(1).get("P");
    assertThat(p.message(22).strings(1)).containsExactly("object");
    assertThat(p.strings(19)).containsExactly("a");
    assertThat(p.message(21).all(2)).containsExactly(0L); // a oneof member is written even when false
    Map<String, ProtoFields> props = p.message(25).named(1);
    ProtoFields a = props.get("a");
    assertThat(a.message(22).strings(1)).containsExactly("array");
    assertThat(a.message(23).messages(1).getFirst().message(22).strings(1)).containsExactly("string");
    assertThat(a.all(14)).containsExactly(3L);
    assertThat(a.named(31).get("x-kubernetes-patch-strategy").string(2).strip()).isEqualTo("\"merge\"");
  }
}
