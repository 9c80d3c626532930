package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.discovery.ProtoFields;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.apiserver.testing.InProcessServer;
import dev.skiff.testkit.Kubectl;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /openapi/v2} with the real kubectl v1.32, after upstream's CustomResourcePublishOpenAPI
 * conformance tests: definitions of CRDs appear, change and disappear as their versions are
 * served, renamed and deleted (polled with ETags as the e2e test does), kubectl explains and
 * validates custom resources, and the built-in definitions are served as JSON and as gnostic protobuf.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenApiV2KubectlTest {
  @TempDir static Path dir;
  static InProcessServer cluster;
  static Kubectl kubectl;
  static ApiClient api;

  /** Like upstream's schemaFoo: objects, arrays, primitives, descriptions, a required field and an enum. */
  static final String FOO_SCHEMA = """
      description: Foo CRD for Testing
      type: object
      properties:
        spec:
          type: object
          description: Specification of Foo
          properties:
            bars:
              description: List of Bars and their specs.
              type: array
              items:
                type: object
                required: [name]
                properties:
                  name: {description: Name of Bar., type: string}
                  age: {description: Age of Bar., type: string}
                  feeling: {description: Whether Bar is feeling great., type: string, enum: [Great, Down]}
                  bazs: {description: List of Bazs., type: array, items: {type: string}}
        status:
          description: Status of Foo
          type: object
          properties:
            quxType: {description: Indicates to external qux type., pattern: in-tree|out-of-tree, type: string}
      """;

  static String crd(String plural, String kind, String group, String schema, String... versions) {
    StringBuilder out = new StringBuilder("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s.%s}
        spec:
          group: %s
          scope: Namespaced
          names: {plural: %s, singular: %s, kind: %s, listKind: %sList}
          versions:
        """.formatted(plural, group, group, plural, kind.toLowerCase(), kind, kind));
    for (int i = 0; i < versions.length; i++) {
      out.append("  - name: ").append(versions[i]).append("\n    served: true\n    storage: ").append(i == 0)
          .append("\n    schema:\n      openAPIV3Schema:\n");
      schema.lines().forEach(l -> out.append("        ").append(l).append('\n'));
    }
    return out.toString();
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = InProcessServer.start(dir);
    kubectl = cluster.kubectl();
    api = ApiClient.of(dir.resolve("data/tls"), cluster.server().port(), true);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path file(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private static void apply(String name, String manifest) throws Exception {
    kubectl.run("apply", "-f", file(name, manifest).toString()).assertOk();
  }

  /** The spec fetched as upstream's waitForOpenAPISchema does: JSON, reusing the last body on 304. */
  private static final class SpecPoller {
    private String etag = "";
    private JsonNode spec;
    int notModified;

    JsonNode fetch() throws Exception {
      HttpResponse<byte[]> r = etag.isEmpty() ? api.getBytes("/openapi/v2")
          : api.getBytes("/openapi/v2", "If-None-Match", etag);
      if (r.statusCode() == 304) {
        notModified++;
        assertThat(r.body()).isEmpty();
        return spec;
      }
      assertThat(r.statusCode()).isEqualTo(200);
      etag = r.headers().firstValue("ETag").orElseThrow();
      spec = Json.parse(r.body());
      return spec;
    }

    JsonNode await(String what, Predicate<JsonNode> condition) throws Exception {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (true) {
        JsonNode s = fetch();
        if (condition.test(s)) {
          return s;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("timed out waiting for " + what);
        }
        Thread.sleep(200);
      }
    }

    JsonNode awaitDefinition(String name) throws Exception {
      return await(name + " published", s -> s.path("definitions").has(name)).path("definitions").path(name);
    }

    void awaitGone(String name) throws Exception {
      await(name + " removed", s -> !s.path("definitions").has(name));
    }
  }

  /** As upstream's dropDefaults: the schema without the properties and extension the server adds. */
  private static JsonNode withoutDefaults(JsonNode definition) {
    ObjectNode d = (ObjectNode) definition.deepCopy();
    d.remove("x-kubernetes-group-version-kind");
    ObjectNode props = (ObjectNode) d.get("properties");
    props.remove(java.util.List.of("metadata", "apiVersion", "kind"));
    return d;
  }

  @Test
  void rawV2IsJsonWithBuiltInDefinitionsPathsAndMergeKeys() throws Exception {
    JsonNode spec = Json.parse(kubectl.run("get", "--raw", "/openapi/v2").assertOk().stdout()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(spec.path("swagger").asString()).isEqualTo("2.0");
    JsonNode defs = spec.path("definitions");
    assertThat(defs.path("io.k8s.api.core.v1.Pod").path("x-kubernetes-group-version-kind").get(0))
        .isEqualTo(Json.parse("{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(defs.path("io.k8s.api.core.v1.Pod").path("properties").path("metadata").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(defs.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
    assertThat(defs.has("io.k8s.api.apps.v1.Deployment")).isTrue();
    JsonNode containers = defs.path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
    assertThat(containers.path("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
    assertThat(containers.path("x-kubernetes-list-type").asString()).isEqualTo("map");
    JsonNode servicePorts = defs.path("io.k8s.api.core.v1.ServiceSpec").path("properties").path("ports");
    assertThat(servicePorts.path("x-kubernetes-patch-merge-key").asString()).isEqualTo("port");
    assertThat(servicePorts.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"port\",\"protocol\"]");
    JsonNode item = spec.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}");
    assertThat(item.path("get").path("x-kubernetes-action").asString()).isEqualTo("get");
    assertThat(item.path("patch").path("x-kubernetes-action").asString()).isEqualTo("patch");
    assertThat(item.path("get").path("responses").path("200").path("schema").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.Pod");
    assertThat(spec.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments").path("post")
        .path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Deployment");
    // every reference resolves
    java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"#/definitions/([^\"]+)\"").matcher(spec.toString());
    while (refs.find()) {
      assertThat(defs.has(refs.group(1))).as(refs.group(1)).isTrue();
    }
  }

  @Test
  void clientSideApplyFollowsThePublishedPatchStrategies() throws Exception {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: strat, namespace: default, finalizers: [example.com/a]}
        spec:
          replicas: 1
          selector: {matchLabels: {app: strat}}
          strategy: %s
          template:
            metadata: {labels: {app: strat}}
            spec:
              containers: [{name: c, image: nginx}]
              volumes: [{name: v, %s}]
        """;
    apply("strat1.yaml", deployment.formatted("{type: RollingUpdate, rollingUpdate: {maxSurge: 2}}", "emptyDir: {}"));
    // retainKeys: the strategy and the volume drop the fields the new manifest leaves out, as upstream
    apply("strat2.yaml", deployment.formatted("{type: Recreate}", "configMap: {name: cm}"));
    assertThat(kubectl.run("get", "deployment", "strat", "-o", "jsonpath={.spec.strategy}").assertOk().stdout())
        .isEqualTo("{\"type\":\"Recreate\"}");
    assertThat(kubectl.run("get", "deployment", "strat", "-o", "jsonpath={.spec.template.spec.volumes}").assertOk()
        .stdout()).contains("\"configMap\":{").doesNotContain("emptyDir");
    kubectl.run("patch", "deployment", "strat", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}").assertOk();
  }

  @Test
  void v3SharesTheSchemasAndUpstreamsActionVerbs() throws Exception {
    JsonNode core = Json.parse(kubectl.run("get", "--raw", "/openapi/v3/api/v1").assertOk().stdout()
        .getBytes(StandardCharsets.UTF_8));
    JsonNode pods = core.path("paths").path("/api/v1/namespaces/{namespace}/pods");
    assertThat(pods.path("get").path("x-kubernetes-action").asString()).isEqualTo("list");
    assertThat(pods.path("post").path("x-kubernetes-action").asString()).isEqualTo("post");
    assertThat(core.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("put")
        .path("x-kubernetes-action").asString()).isEqualTo("put");
    JsonNode ports = core.path("components").path("schemas").path("io.k8s.api.core.v1.Container").path("properties")
        .path("ports");
    assertThat(ports.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"containerPort\",\"protocol\"]");
    assertThat(ports.path("items").path("$ref").asString()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.ContainerPort");
  }

  @Test
  void protobufIsAGnosticDocumentWithItsOwnEtag() throws Exception {
    String pb = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    HttpResponse<byte[]> r = api.getBytes("/openapi/v2", "Accept", pb + ", application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9A-F]{128}\"");
    ProtoFields doc = ProtoFields.parse(r.body());
    assertThat(doc.string(1)).isEqualTo("2.0");
    var definitions = doc.message(9).named(1);
    ProtoFields pod = definitions.get("io.k8s.api.core.v1.Pod");
    assertThat(pod).isNotNull();
    assertThat(pod.message(22).strings(1)).containsExactly("object");
    assertThat(pod.named(31).get("x-kubernetes-group-version-kind").string(2)).contains("\"kind\":\"Pod\"");
    ProtoFields spec = definitions.get("io.k8s.api.core.v1.PodSpec").message(25).named(1).get("containers");
    assertThat(spec.named(31).get("x-kubernetes-patch-merge-key").string(2)).contains("\"name\"");
    assertThat(spec.message(23).messages(1).getFirst().string(1)).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
    assertThat(doc.message(8).named(2)).containsKey("/api/v1/namespaces/{namespace}/pods/{name}");

    assertThat(api.getBytes("/openapi/v2", "Accept", pb, "If-None-Match", etag).statusCode()).isEqualTo(304);
    HttpResponse<byte[]> json = api.getBytes("/openapi/v2", "Accept", "application/json", "If-None-Match", etag);
    assertThat(json.statusCode()).as("the JSON body has its own ETag").isEqualTo(200);
    assertThat(json.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    assertThat(api.getBytes("/openapi/v2", "Accept", "text/html").statusCode()).isEqualTo(406);
  }

  @Test
  void kubectlExplainsFromTheProtobufV2Document() throws Exception {
    // plaintext-openapiv2 makes kubectl read /openapi/v2 through client-go's OpenAPISchema(): gnostic protobuf
    String containers = kubectl.run("explain", "pods.spec.containers", "--output=plaintext-openapiv2")
        .assertOk().stdout();
    assertThat(containers).containsPattern("(?s)KIND:\\s+Pod.*VERSION:\\s+v1.*RESOURCE: containers <\\[\\]Object>")
        .containsPattern("image\\s+<string>").containsPattern("ports\\s+<\\[\\]Object>");
    assertThat(kubectl.run("explain", "deployments.spec.replicas", "--output=plaintext-openapiv2").assertOk().stdout())
        .containsPattern("FIELD:\\s+replicas <integer>");
    apply("gadget-crd.yaml", crd("gadgets", "Gadget", "gadget.example.com", FOO_SCHEMA, "v1"));
    new SpecPoller().awaitDefinition("com.example.gadget.v1.Gadget");
    assertThat(kubectl.run("explain", "gadgets.spec.bars", "--output=plaintext-openapiv2").assertOk().stdout())
        .containsPattern("(?s)List of Bars and their specs.*bazs\\s+<\\[\\]string>.*Name of Bar");
    kubectl.run("delete", "crd", "gadgets.gadget.example.com").assertOk();
  }

  @Test
  void crdWithValidationSchemaIsPublishedExplainedAndValidated() throws Exception {
    apply("foo-crd.yaml", crd("foos", "Foo", "foo.example.com", FOO_SCHEMA, "v1"));
    SpecPoller poller = new SpecPoller();
    JsonNode published = poller.awaitDefinition("com.example.foo.v1.Foo");
    assertThat(withoutDefaults(published)).isEqualTo(Json.parseYaml(FOO_SCHEMA.getBytes(StandardCharsets.UTF_8)));
    assertThat(published.path("properties").path("metadata").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(poller.await("the list kind", s -> s.path("definitions").has("com.example.foo.v1.FooList"))
        .path("paths").has("/apis/foo.example.com/v1/namespaces/{namespace}/foos/{name}")).isTrue();
    poller.fetch();
    assertThat(poller.notModified).as("unchanged spec answered 304").isPositive();

    String meta = "\"kind\":\"Foo\",\"apiVersion\":\"foo.example.com/v1\",\"metadata\":{\"name\":\"test-foo\"}";
    Path valid = file("valid-foo.json", "{" + meta + ",\"spec\":{\"bars\":[{\"name\":\"test-bar\"}]}}");
    kubectl.run("create", "--validate=true", "-f", valid.toString()).assertOk();
    kubectl.run("delete", "foos", "test-foo").assertOk();
    kubectl.run("apply", "--validate=true", "-f", valid.toString()).assertOk();
    kubectl.run("delete", "foos", "test-foo").assertOk();
    Kubectl.Result unknown = kubectl.run("create", "--validate=true", "-f",
        file("unknown-foo.json", "{" + meta + ",\"spec\":{\"foo\":true}}").toString());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.stderr()).containsPattern("unknown field \"(spec\\.)?foo\"");
    Kubectl.Result noName = kubectl.run("create", "--validate=true", "-f",
        file("noname-foo.json", "{" + meta + ",\"spec\":{\"bars\":[{\"age\":\"10\"}]}}").toString());
    assertThat(noName.exitCode()).isNotZero();
    assertThat(noName.stderr()).contains("spec.bars[0].name: Required value");

    assertThat(kubectl.run("explain", "foos").assertOk().stdout()).containsPattern(
        "(?s)DESCRIPTION:.*Foo CRD for Testing.*FIELDS:.*apiVersion.*<string>.*APIVersion defines.*spec.*<Object>.*Specification of Foo");
    assertThat(kubectl.run("explain", "foos.metadata").assertOk().stdout())
        .containsPattern("(?s)DESCRIPTION:.*Standard object's metadata.*FIELDS:.*creationTimestamp.*<string>");
    assertThat(kubectl.run("explain", "foos.spec").assertOk().stdout())
        .containsPattern("(?s)DESCRIPTION:.*Specification of Foo.*FIELDS:.*bars.*<\\[\\]Object>.*List of Bars and their specs");
    assertThat(kubectl.run("explain", "foos.spec.bars").assertOk().stdout()).containsPattern(
        "(?s)bars.*<\\[\\]Object>.*DESCRIPTION:.*List of Bars and their specs.*FIELDS:.*bazs.*<\\[\\]string>.*List of Bazs.*name.*<string>.*Name of Bar");
    Kubectl.Result missing = kubectl.run("explain", "foos.spec.bars2");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr()).contains("field \"bars2\" does not exist");

    kubectl.run("delete", "crd", "foos.foo.example.com").assertOk();
    poller.awaitGone("com.example.foo.v1.Foo");
    poller.awaitGone("com.example.foo.v1.FooList");
  }

  @Test
  void crdPreservingUnknownFieldsAcceptsAnythingAndIsABareObjectInV2() throws Exception {
    apply("empty-crd.yaml", crd("empties", "Empty", "empty.example.com",
        "type: object\nx-kubernetes-preserve-unknown-fields: true\n", "v1"));
    SpecPoller poller = new SpecPoller();
    JsonNode published = poller.awaitDefinition("com.example.empty.v1.Empty");
    ObjectNode bare = (ObjectNode) published.deepCopy();
    bare.remove("x-kubernetes-group-version-kind");
    assertThat(bare.toString()).isEqualTo("{\"type\":\"object\"}");
    Path random = file("random.json", "{\"kind\":\"Empty\",\"apiVersion\":\"empty.example.com/v1\","
        + "\"metadata\":{\"name\":\"test-cr\"},\"a\":{\"b\":[{\"c\":\"d\"}]}}");
    kubectl.run("create", "--validate=true", "-f", random.toString()).assertOk();
    kubectl.run("delete", "empties", "test-cr").assertOk();
    kubectl.run("apply", "--validate=true", "-f", random.toString()).assertOk();
    assertThat(kubectl.run("explain", "empties").assertOk().stdout()).containsPattern("(?s)KIND:.*Empty");
    kubectl.run("delete", "crd", "empties.empty.example.com").assertOk();
    poller.awaitGone("com.example.empty.v1.Empty");
  }

  @Test
  void customResourceNamedLikeABuiltInIsExplainedByItsShortName() throws Exception {
    String schema = """
        type: object
        properties:
          spec:
            description: Specification of CustomService
            type: object
            properties:
              dummy: {description: Dummy property., type: string}
        """;
    apply("svc-crd.yaml", crd("services", "Service", "svc.example.com", schema, "v1")
        .replace("listKind: ServiceList}", "listKind: ServiceList, shortNames: [ksvc-test]}"));
    SpecPoller poller = new SpecPoller();
    poller.awaitDefinition("com.example.svc.v1.Service");
    assertThat(poller.fetch().path("definitions").has("io.k8s.api.core.v1.Service")).isTrue();
    kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=Established", "crd/services.svc.example.com",
        "--timeout=30s").assertOk();
    // kubectl expands short names from its discovery cache, which a NoMatch retry does not refresh (the reason
    // upstream marks this test flaky); api-resources invalidates the cache
    assertThat(kubectl.run("api-resources").assertOk().stdout()).contains("ksvc-test");
    assertThat(kubectl.run("explain", "ksvc-test.spec").assertOk().stdout())
        .containsPattern("(?s)DESCRIPTION:.*Specification of CustomService.*FIELDS:.*dummy.*<string>.*Dummy property");
    kubectl.run("delete", "crd", "services.svc.example.com").assertOk();
    poller.awaitGone("com.example.svc.v1.Service");
  }

  @Test
  void renamedAndUnservedVersionsLeaveTheSpec() throws Exception {
    apply("multi-crd.yaml", crd("multis", "Multi", "multi.example.com", FOO_SCHEMA, "v2", "v3"));
    SpecPoller poller = new SpecPoller();
    JsonNode v2 = poller.awaitDefinition("com.example.multi.v2.Multi");
    poller.awaitDefinition("com.example.multi.v3.Multi");

    kubectl.run("patch", "crd", "multis.multi.example.com", "--type=json", "-p",
        "[{\"op\":\"test\",\"path\":\"/spec/versions/1/name\",\"value\":\"v3\"},"
            + "{\"op\":\"replace\",\"path\":\"/spec/versions/1/name\",\"value\":\"v4\"}]").assertOk();
    poller.awaitDefinition("com.example.multi.v4.Multi");
    poller.awaitGone("com.example.multi.v3.Multi");
    assertThat(poller.awaitDefinition("com.example.multi.v2.Multi")).isEqualTo(v2);

    kubectl.run("patch", "crd", "multis.multi.example.com", "--type=json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/versions/1/served\",\"value\":false}]").assertOk();
    poller.awaitGone("com.example.multi.v4.Multi");
    assertThat(poller.awaitDefinition("com.example.multi.v2.Multi")).isEqualTo(v2);
    assertThat(poller.fetch().path("paths").has("/apis/multi.example.com/v4/namespaces/{namespace}/multis")).isFalse();
    kubectl.run("delete", "crd", "multis.multi.example.com").assertOk();
    poller.awaitGone("com.example.multi.v2.Multi");
  }
}
