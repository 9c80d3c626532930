package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.storage.Store;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Status codes, bodies and list/watch semantics over raw HTTPS, compared with upstream's. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestSemanticsTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null)
        .withWatchBookmarkInterval(Duration.ofMillis(300)));
    server.start();
    api = ApiClient.of(dir.resolve("tls"), server.port(), true);
    createNamespace("rest");
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static void createNamespace(String name) throws Exception {
    assertThat(api.send("POST", "/api/v1/namespaces", "application/json",
        "{\"metadata\":{\"name\":\"" + name + "\"}}").statusCode()).isEqualTo(201);
  }

  static JsonNode json(HttpResponse<String> r) {
    return Json.parse(r.body().getBytes());
  }

  static HttpResponse<String> createConfigMap(String ns, String name, String extra) throws Exception {
    return api.send("POST", "/api/v1/namespaces/" + ns + "/configmaps", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"" + extra + "},\"data\":{\"k\":\"v\"}}");
  }

  @Test
  void updateWithAStaleResourceVersionConflicts() throws Exception {
    JsonNode created = json(createConfigMap("rest", "cas", ""));
    String rv = created.path("metadata").path("resourceVersion").asString();
    String body = "{\"metadata\":{\"name\":\"cas\",\"resourceVersion\":\"%s\"},\"data\":{\"k\":\"%s\"}}";
    HttpResponse<String> ok = api.send("PUT", "/api/v1/namespaces/rest/configmaps/cas", "application/json", body.formatted(rv, "2"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).path("metadata").path("resourceVersion").asString()).isNotEqualTo(rv);
    HttpResponse<String> stale = api.send("PUT", "/api/v1/namespaces/rest/configmaps/cas", "application/json", body.formatted(rv, "3"));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(json(stale).path("reason").asString()).isEqualTo("Conflict");
    assertThat(json(stale).path("message").asString()).isEqualTo("Operation cannot be fulfilled on configmaps \"cas\": "
        + "the object has been modified; please apply your changes to the latest version and try again");
  }

  @Test
  void invalidObjectsListEveryCause() throws Exception {
    HttpResponse<String> r = api.send("POST", "/api/v1/namespaces/rest/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"Bad\"},\"data\":{\"no/slash\":\"x\"}}");
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode s = json(r);
    assertThat(s.path("reason").asString()).isEqualTo("Invalid");
    assertThat(s.path("details").path("kind").asString()).isEqualTo("ConfigMap");
    assertThat(s.path("details").path("causes")).hasSize(2);
    assertThat(s.path("message").asString()).startsWith("ConfigMap \"Bad\" is invalid: [metadata.name: Invalid value: \"Bad\"");
    assertThat(s.path("details").path("causes").get(1).path("field").asString()).isEqualTo("data[no/slash]");
  }

  @Test
  void malformedBodiesAreBadRequests() throws Exception {
    for (String[] c : List.of(new String[] {"application/json", "{\"metadata\":"}, new String[] {"application/json", "[1]"},
        new String[] {"application/yaml", "metadata: [unclosed"}, new String[] {"application/json", ""})) {
      HttpResponse<String> r = api.send("POST", "/api/v1/namespaces/rest/configmaps", c[0], c[1]);
      assertThat(r.statusCode()).as(c[1]).isEqualTo(400);
      assertThat(json(r).path("reason").asString()).isEqualTo("BadRequest");
    }
    HttpResponse<String> wrongType = api.send("POST", "/api/v1/namespaces/rest/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"typed\",\"labels\":{\"a\":5}}}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json(wrongType).path("message").asString()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a"
        + " ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string");
    assertThat(api.send("POST", "/api/v1/namespaces/rest/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"typed\"},\"data\":{\"k\":true}}").statusCode()).isEqualTo(400);
    HttpResponse<String> yaml = api.send("POST", "/api/v1/namespaces/rest/configmaps", "application/yaml",
        "metadata:\n  name: from-yaml\ndata:\n  a: b\n");
    assertThat(yaml.statusCode()).isEqualTo(201);
    assertThat(api.send("POST", "/api/v1/namespaces/rest/configmaps", "text/plain", "x").statusCode()).isEqualTo(415);
    assertThat(api.get("/api/v1/namespaces/rest/configmaps", "Accept", "application/vnd.kubernetes.protobuf").statusCode())
        .isEqualTo(406);
    assertThat(api.get("/api/v1/namespaces/rest/configmaps?labelSelector=a%20in%20(").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/namespaces/rest/configmaps?fieldSelector=data.k%3Dv").statusCode()).isEqualTo(400);
  }

  @Test
  void listPagesWithLimitAndContinue() throws Exception {
    createNamespace("paging");
    for (int i = 0; i < 5; i++) {
      assertThat(createConfigMap("paging", "cm-" + i, "").statusCode()).isEqualTo(201);
    }
    JsonNode first = json(api.get("/api/v1/namespaces/paging/configmaps?limit=2"));
    assertThat(first.path("kind").asString()).isEqualTo("ConfigMapList");
    assertThat(first.path("items")).hasSize(2);
    assertThat(first.path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);
    String rv = first.path("metadata").path("resourceVersion").asString();
    createConfigMap("paging", "cm-9", "");
    JsonNode second = json(api.get("/api/v1/namespaces/paging/configmaps?limit=2&continue="
        + first.path("metadata").path("continue").asString()));
    assertThat(second.path("items").get(0).path("metadata").path("name").asString()).isEqualTo("cm-2");
    assertThat(second.path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
    JsonNode last = json(api.get("/api/v1/namespaces/paging/configmaps?limit=2&continue="
        + second.path("metadata").path("continue").asString()));
    // the list is consistent at the first page's revision: cm-9, written later, is not in it
    assertThat(last.path("items")).hasSize(1);
    assertThat(last.path("metadata").has("continue")).isFalse();
    assertThat(api.get("/api/v1/namespaces/paging/configmaps?continue=garbage").statusCode()).isEqualTo(400);
  }

  @Test
  void compactedResourceVersionsAreExpired() throws Exception {
    createNamespace("old");
    JsonNode a = json(createConfigMap("old", "a", ""));
    String oldRv = a.path("metadata").path("resourceVersion").asString();
    createConfigMap("old", "a2", "");
    JsonNode first = json(api.get("/api/v1/namespaces/old/configmaps?limit=1"));
    createConfigMap("old", "b", "");
    createConfigMap("old", "c", "");
    store.compact(store.currentRevision());
    HttpResponse<String> exact = api.get("/api/v1/namespaces/old/configmaps?resourceVersion=" + oldRv
        + "&resourceVersionMatch=Exact");
    assertThat(exact.statusCode()).isEqualTo(410);
    assertThat(json(exact).path("reason").asString()).isEqualTo("Expired");
    HttpResponse<String> cont = api.get("/api/v1/namespaces/old/configmaps?limit=1&continue="
        + first.path("metadata").path("continue").asString());
    assertThat(cont.statusCode()).isEqualTo(410);
    HttpResponse<java.util.stream.Stream<String>> watch =
        api.stream("/api/v1/namespaces/old/configmaps?watch=true&resourceVersion=" + oldRv);
    Iterator<String> lines = watch.body().iterator();
    JsonNode event = Json.parse(lines.next().getBytes());
    assertThat(event.path("type").asString()).isEqualTo("ERROR");
    assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
    watch.body().close();
  }

  @Test
  void watchFromZeroReplaysThenStreamsWithBookmarks() throws Exception {
    createNamespace("watch");
    createConfigMap("watch", "existing", ",\"labels\":{\"app\":\"x\"}");
    HttpResponse<java.util.stream.Stream<String>> watch = api.stream(
        "/api/v1/namespaces/watch/configmaps?watch=true&resourceVersion=0&allowWatchBookmarks=true&labelSelector=app%3Dx&timeoutSeconds=20");
    Iterator<String> lines = watch.body().iterator();
    JsonNode added = Json.parse(lines.next().getBytes());
    assertThat(added.path("type").asString()).isEqualTo("ADDED");
    assertThat(added.path("object").path("metadata").path("name").asString()).isEqualTo("existing");
    createConfigMap("watch", "unlabelled", "");
    createConfigMap("watch", "later", ",\"labels\":{\"app\":\"x\"}");
    api.send("PATCH", "/api/v1/namespaces/watch/configmaps/existing", "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"app\":null}}}");
    boolean sawBookmark = false;
    String later = null;
    String deleted = null;
    while (later == null || deleted == null || !sawBookmark) {
      JsonNode e = Json.parse(lines.next().getBytes());
      switch (e.path("type").asString()) {
        case "ADDED" -> later = e.path("object").path("metadata").path("name").asString();
        // an object that stops matching the selector is DELETED for this watch, as upstream
        case "DELETED" -> deleted = e.path("object").path("metadata").path("name").asString();
        case "BOOKMARK" -> sawBookmark = true;
        default -> throw new AssertionError("unexpected event " + e);
      }
    }
    assertThat(later).isEqualTo("later");
    assertThat(deleted).isEqualTo("existing");
    watch.body().close();
  }

  @Test
  void deleteAnswersWithASuccessStatus() throws Exception {
    String uid = json(createConfigMap("rest", "doomed", "")).path("metadata").path("uid").asString();
    HttpResponse<String> r = api.send("DELETE", "/api/v1/namespaces/rest/configmaps/doomed", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode s = json(r);
    assertThat(s.path("status").asString()).isEqualTo("Success");
    assertThat(s.path("details").path("kind").asString()).isEqualTo("configmaps");
    assertThat(s.path("details").path("uid").asString()).isEqualTo(uid);
    HttpResponse<String> again = api.send("DELETE", "/api/v1/namespaces/rest/configmaps/doomed", null, null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(json(again).path("message").asString()).isEqualTo("configmaps \"doomed\" not found");
  }

  @Test
  void patchesMergeAndApplyJsonPatch() throws Exception {
    createConfigMap("rest", "patched", "");
    HttpResponse<String> merge = api.send("PATCH", "/api/v1/namespaces/rest/configmaps/patched",
        "application/merge-patch+json", "{\"data\":{\"new\":\"1\"}}");
    assertThat(json(merge).path("data").path("new").asString()).isEqualTo("1");
    assertThat(json(merge).path("data").path("k").asString()).isEqualTo("v");
    HttpResponse<String> jp = api.send("PATCH", "/api/v1/namespaces/rest/configmaps/patched",
        "application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/data/k\"},{\"op\":\"add\",\"path\":\"/data/z\",\"value\":\"26\"}]");
    assertThat(jp.statusCode()).isEqualTo(200);
    assertThat(json(jp).path("data").has("k")).isFalse();
    assertThat(json(jp).path("data").path("z").asString()).isEqualTo("26");
    HttpResponse<String> missing = api.send("PATCH", "/api/v1/namespaces/rest/configmaps/patched",
        "application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"/data/nope/deeper\",\"value\":\"x\"}]");
    assertThat(missing.statusCode()).isEqualTo(422);
  }

  @Test
  void discoveryHealthAndVersion() throws Exception {
    HttpResponse<String> agg = api.get("/api",
        "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    assertThat(agg.headers().firstValue("Content-Type")).contains(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    JsonNode item = json(agg).path("items").get(0);
    assertThat(item.path("versions").get(0).path("version").asString()).isEqualTo("v1");
    assertThat(json(api.get("/api")).path("versions").get(0).asString()).isEqualTo("v1");
    assertThat(json(api.get("/api/v1")).path("resources").findValuesAsString("name")).contains("configmaps", "namespaces/status");
    assertThat(api.get("/readyz").body()).isEqualTo("ok");
    assertThat(api.get("/readyz?verbose").body()).contains("[+]ping ok\n", "[+]etcd ok\n").endsWith("readyz check passed\n");
    assertThat(api.get("/livez/etcd").body()).isEqualTo("ok");
    JsonNode version = json(api.get("/version"));
    assertThat(version.path("gitVersion").asString()).isEqualTo("v1.32.0+skiff");
    assertThat(version.path("major").asString()).isEqualTo("1");
    assertThat(version.path("minor").asString()).isEqualTo("32");
    assertThat(api.get("/api/v1/nothings").statusCode()).isEqualTo(404);
  }

  @Test
  void tablesCarryUpstreamColumns() throws Exception {
    JsonNode t = json(api.get("/api/v1/namespaces", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
    assertThat(t.path("kind").asString()).isEqualTo("Table");
    assertThat(t.path("columnDefinitions").findValuesAsString("name")).containsExactly("Name", "Status", "Age");
    assertThat(t.path("rows").get(0).path("object").path("kind").asString()).isEqualTo("PartialObjectMetadata");
  }

  @Test
  void bindingAssignsAPodOnce() throws Exception {
    assertThat(api.send("POST", "/api/v1/namespaces/rest/pods", "application/json",
        "{\"metadata\":{\"name\":\"bind-me\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}")
        .statusCode()).isEqualTo(201);
    String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bind-me\"},"
        + "\"target\":{\"kind\":\"Node\",\"name\":\"node-%s\"}}";
    HttpResponse<String> bound = api.send("POST", "/api/v1/namespaces/rest/pods/bind-me/binding", "application/json",
        binding.formatted("a"));
    assertThat(bound.statusCode()).isEqualTo(201);
    assertThat(json(bound).path("status").asString()).isEqualTo("Success");
    JsonNode pod = json(api.get("/api/v1/namespaces/rest/pods/bind-me"));
    assertThat(pod.path("spec").path("nodeName").asString()).isEqualTo("node-a");
    assertThat(pod.path("status").path("conditions").get(0).path("type").asString()).isEqualTo("PodScheduled");
    HttpResponse<String> again = api.send("POST", "/api/v1/namespaces/rest/pods/bind-me/binding", "application/json",
        binding.formatted("b"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).path("message").asString()).contains("pod bind-me is already assigned to node \"node-a\"");
    // a bound pod is deleted gracefully: it stays, marked, until its node's agent finishes it
    HttpResponse<String> deleted = api.send("DELETE", "/api/v1/namespaces/rest/pods/bind-me", null, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
    assertThat(api.get("/api/v1/namespaces/rest/pods/bind-me").statusCode()).isEqualTo(200);
    assertThat(api.send("DELETE", "/api/v1/namespaces/rest/pods/bind-me?gracePeriodSeconds=0", null, null).statusCode())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/namespaces/rest/pods/bind-me").statusCode()).isEqualTo(404);
  }

  @Test
  void groupsAreServedUnderApis() throws Exception {
    HttpResponse<String> created = api.send("POST", "/apis/coordination.k8s.io/v1/namespaces/rest/leases",
        "application/json", "{\"metadata\":{\"name\":\"leader\"},\"spec\":{\"holderIdentity\":\"me\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json(created).path("apiVersion").asString()).isEqualTo("coordination.k8s.io/v1");
    assertThat(json(api.get("/apis")).path("groups").findValuesAsString("name")).contains("apps", "coordination.k8s.io");
    JsonNode agg = json(api.get("/apis", "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
    assertThat(agg.path("items").findValuesAsString("name")).contains("apps", "coordination.k8s.io");
    HttpResponse<String> missing = api.get("/apis/coordination.k8s.io/v1/namespaces/rest/leases/nope");
    assertThat(json(missing).path("message").asString()).isEqualTo("leases.coordination.k8s.io \"nope\" not found");
    assertThat(json(missing).path("details").path("group").asString()).isEqualTo("coordination.k8s.io");
  }

  @Test
  void statusChangesOnlyThroughTheStatusSubresource() throws Exception {
    assertThat(api.send("POST", "/api/v1/namespaces/rest/pods", "application/json",
        "{\"metadata\":{\"name\":\"st\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]},"
            + "\"status\":{\"phase\":\"Running\"}}").statusCode()).isEqualTo(201);
    assertThat(json(api.get("/api/v1/namespaces/rest/pods/st")).path("status").path("phase").asString()).isEqualTo("Pending");
    HttpResponse<String> viaMain = api.send("PATCH", "/api/v1/namespaces/rest/pods/st", "application/merge-patch+json",
        "{\"status\":{\"phase\":\"Running\"},\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    assertThat(json(viaMain).path("status").path("phase").asString()).isEqualTo("Pending");
    assertThat(json(viaMain).path("metadata").path("labels").path("x").asString()).isEqualTo("y");
    HttpResponse<String> viaStatus = api.send("PATCH", "/api/v1/namespaces/rest/pods/st/status",
        "application/merge-patch+json", "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.42.0.5\"},"
            + "\"spec\":{\"nodeName\":\"ignored\"}}");
    assertThat(viaStatus.statusCode()).isEqualTo(200);
    assertThat(json(viaStatus).path("status").path("podIP").asString()).isEqualTo("10.42.0.5");
    assertThat(json(viaStatus).path("spec").has("nodeName")).isFalse();
    HttpResponse<String> specChange = api.send("PATCH", "/api/v1/namespaces/rest/pods/st", "application/merge-patch+json",
        "{\"spec\":{\"restartPolicy\":\"Never\"}}");
    assertThat(specChange.statusCode()).isEqualTo(422);
    assertThat(json(specChange).path("message").asString()).contains("pod updates may not change fields other than");
    HttpResponse<String> tooBig = api.send("POST", "/api/v1/namespaces/rest/pods", "application/json",
        "{\"metadata\":{\"name\":\"big\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
            + "\"image\":\"busybox\",\"args\":[\"" + "x".repeat(2_000_000) + "\"]}]}}");
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void workloadSelectorsAndScale() throws Exception {
    String rs = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"%s\"},\"spec\":{"
        + "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";
    HttpResponse<String> mismatch = api.send("POST", "/apis/apps/v1/namespaces/rest/replicasets", "application/json",
        rs.formatted("rs-bad", "a", "b"));
    assertThat(mismatch.statusCode()).isEqualTo(422);
    assertThat(json(mismatch).path("message").asString()).contains("`selector` does not match template `labels`");
    HttpResponse<String> created = api.send("POST", "/apis/apps/v1/namespaces/rest/replicasets", "application/json",
        rs.formatted("rs-ok", "a", "a"));
    assertThat(json(created).path("spec").path("replicas").asInt()).isEqualTo(1);
    JsonNode scale = json(api.get("/apis/apps/v1/namespaces/rest/replicasets/rs-ok/scale"));
    assertThat(scale.path("kind").asString()).isEqualTo("Scale");
    assertThat(scale.path("status").path("selector").asString()).isEqualTo("app=a");
    HttpResponse<String> scaled = api.send("PUT", "/apis/apps/v1/namespaces/rest/replicasets/rs-ok/scale",
        "application/json", "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"rs-ok\"},"
            + "\"spec\":{\"replicas\":3}}");
    assertThat(json(scaled).path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode after = json(api.get("/apis/apps/v1/namespaces/rest/replicasets/rs-ok"));
    assertThat(after.path("metadata").path("generation").asInt()).isEqualTo(2);
    HttpResponse<String> newSelector = api.send("PATCH", "/apis/apps/v1/namespaces/rest/replicasets/rs-ok",
        "application/merge-patch+json", "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"z\"}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"z\"}}}}}");
    assertThat(newSelector.statusCode()).isEqualTo(422);
    assertThat(json(newSelector).path("message").asString()).contains("spec.selector", "field is immutable");
  }

  @Test
  void watchListSendsInitialEventsThenABookmark() throws Exception {
    createNamespace("wl");
    createConfigMap("wl", "one", "");
    HttpResponse<java.util.stream.Stream<String>> watch = api.stream("/api/v1/namespaces/wl/configmaps?watch=true"
        + "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=10");
    Iterator<String> lines = watch.body().iterator();
    JsonNode added = Json.parse(lines.next().getBytes());
    assertThat(added.path("type").asString()).isEqualTo("ADDED");
    JsonNode bookmark = Json.parse(lines.next().getBytes());
    assertThat(bookmark.path("type").asString()).isEqualTo("BOOKMARK");
    assertThat(bookmark.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asString())
        .isEqualTo("true");
    watch.body().close();
  }

  @Test
  void deleteCollectionHonoursSelectors() throws Exception {
    createNamespace("bulk");
    createConfigMap("bulk", "keep", "");
    createConfigMap("bulk", "drop-1", ",\"labels\":{\"tier\":\"tmp\"}");
    createConfigMap("bulk", "drop-2", ",\"labels\":{\"tier\":\"tmp\"}");
    HttpResponse<String> r = api.send("DELETE", "/api/v1/namespaces/bulk/configmaps?labelSelector=tier%3Dtmp", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("kind").asString()).isEqualTo("ConfigMapList");
    assertThat(json(r).path("items").findValuesAsString("name")).containsExactlyInAnyOrder("drop-1", "drop-2");
    assertThat(json(api.get("/api/v1/namespaces/bulk/configmaps")).path("items").findValuesAsString("name"))
        .containsExactly("keep");
  }
}
