package dev.skiff.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.openapi.models.V1ScaleSpec;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Kubernetes Java client (io.kubernetes:client-java 22, the one for 1.32) against a
 * real {@code skiff server} process: what its users do — typed CRUD, a conflict on a stale update,
 * the three patch types and server-side apply, the scale subresource, a watch, a shared informer and
 * leader election on a Lease.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OfficialJavaClientTest {
  @TempDir static Path tmp;
  private static SkiffServer server;
  private static ApiClient client;

  @BeforeAll
  static void startServer() throws IOException {
    server = SkiffServer.start(tmp.resolve("data"));
    client = Config.fromConfig(server.kubeconfig().toString());
    // watches and informers hold their responses open: no read timeout, as the client's docs advise
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void versionAndHttp2() throws Exception {
    assertThat(new VersionApi(client).getCode().execute().getGitVersion()).isEqualTo("v1.32.0+skiff");
    var response = new CoreV1Api(client).listNamespace().executeWithHttpInfo();
    assertThat(response.getData().getItems()).extracting(ns -> ns.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
    // the client's OkHttp negotiates HTTP/2 over TLS (ALPN) with the server
    var call = client.getHttpClient().newCall(new okhttp3.Request.Builder().url(server.url() + "/version").build());
    try (var raw = call.execute()) {
      assertThat(raw.protocol()).isEqualTo(Protocol.HTTP_2);
    }
  }

  @Test
  void configMapCrudWithAConflictOnAStaleUpdate() throws Exception {
    CoreV1Api core = new CoreV1Api(client);
    String ns = namespace("crud");
    V1ConfigMap created = core.createNamespacedConfigMap(ns, new V1ConfigMap()
        .metadata(new V1ObjectMeta().name("settings").labels(Map.of("app", "demo")))
        .data(Map.of("color", "blue"))).execute();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

    V1ConfigMap read = core.readNamespacedConfigMap("settings", ns).execute();
    assertThat(read.getData()).containsEntry("color", "blue");
    assertThat(core.listNamespacedConfigMap(ns).labelSelector("app=demo").execute().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactly("settings");
    // != also matches objects without the label, as upstream: the namespace's root CA bundle
    assertThat(core.listNamespacedConfigMap(ns).labelSelector("app!=demo").execute().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactly("kube-root-ca.crt");

    read.setData(Map.of("color", "green"));
    V1ConfigMap updated = core.replaceNamespacedConfigMap("settings", ns, read).execute();
    assertThat(updated.getData()).containsEntry("color", "green");

    // the copy read before the update carries the old resourceVersion: 409 Conflict, nothing changed
    created.setData(Map.of("color", "red"));
    assertThatThrownBy(() -> core.replaceNamespacedConfigMap("settings", ns, created).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).contains("\"reason\":\"Conflict\"");
        });
    assertThat(core.readNamespacedConfigMap("settings", ns).execute().getData()).containsEntry("color", "green");

    assertThatThrownBy(() -> core.readNamespacedConfigMap("missing", ns).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

    core.deleteNamespacedConfigMap("settings", ns).execute();
    // what is left is the root CA bundle every namespace gets, as upstream
    assertThat(core.listNamespacedConfigMap(ns).execute().getItems()).extracting(c -> c.getMetadata().getName())
        .containsExactly("kube-root-ca.crt");
  }

  @Test
  void patchesServerSideApplyAndScale() throws Exception {
    CoreV1Api core = new CoreV1Api(client);
    AppsV1Api apps = new AppsV1Api(client);
    String ns = namespace("patch");
    core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta().name("p"))
        .data(Map.of("a", "1"))).execute();

    V1ConfigMap merged = PatchUtils.patch(V1ConfigMap.class,
        () -> core.patchNamespacedConfigMap("p", ns, new V1Patch("{\"data\":{\"b\":\"2\"}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    assertThat(merged.getData()).containsEntry("a", "1").containsEntry("b", "2");

    V1ConfigMap jsonPatched = PatchUtils.patch(V1ConfigMap.class,
        () -> core.patchNamespacedConfigMap("p", ns, new V1Patch("[{\"op\":\"remove\",\"path\":\"/data/a\"}]"))
            .buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_PATCH, client);
    assertThat(jsonPatched.getData()).containsOnlyKeys("b");

    V1Deployment deployment = apps.createNamespacedDeployment(ns, deployment("web", 2, "nginx:1.27")).execute();
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate"); // defaulted
    // strategic merge: containers merge by name, so the image changes and the container list keeps one entry
    V1Deployment smp = PatchUtils.patch(V1Deployment.class,
        () -> apps.patchNamespacedDeployment("web", ns, new V1Patch(
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}"))
            .buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    assertThat(smp.getSpec().getTemplate().getSpec().getContainers()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx:1.28"));
    assertThat(smp.getMetadata().getGeneration()).isEqualTo(2L);

    String applied = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: applied
        data:
          owner: java
        """;
    V1ConfigMap ssa = PatchUtils.patch(V1ConfigMap.class,
        () -> core.patchNamespacedConfigMap("applied", ns, new V1Patch(applied))
            .fieldManager("official-client").force(true).buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML, client);
    assertThat(ssa.getData()).containsEntry("owner", "java");
    // field ownership (this client's model drops managedFields on decode, so it is checked by its effect):
    // another manager applying a different value without force gets 409 Conflict naming the owner
    String rival = applied.replace("owner: java", "owner: go");
    assertThatThrownBy(() -> PatchUtils.patch(V1ConfigMap.class,
        () -> core.patchNamespacedConfigMap("applied", ns, new V1Patch(rival))
            .fieldManager("rival").buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML, client))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).contains("official-client").contains(".data.owner");
        });
    assertThat(core.readNamespacedConfigMap("applied", ns).execute().getData()).containsEntry("owner", "java");

    assertThat(apps.readNamespacedDeploymentScale("web", ns).execute().getSpec().getReplicas()).isEqualTo(2);
    // read-modify-write with the scale's resourceVersion: the deployment controller writes the status meanwhile,
    // so a stale read gets 409 and is read again, as client-go's RetryOnConflict does
    for (int attempt = 1; ; attempt++) {
      V1Scale scale = apps.readNamespacedDeploymentScale("web", ns).execute();
      try {
        apps.replaceNamespacedDeploymentScale("web", ns, scale.spec(new V1ScaleSpec().replicas(5))).execute();
        break;
      } catch (ApiException e) {
        assertThat(e.getCode()).isEqualTo(409);
        assertThat(attempt).as("scale update attempts").isLessThan(10);
      }
    }
    assertThat(apps.readNamespacedDeployment("web", ns).execute().getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void watchDeliversLaterChangesInOrder() throws Exception {
    CoreV1Api core = new CoreV1Api(client);
    String ns = namespace("watch");
    String rv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
    try (Watch<V1ConfigMap> watch = Watch.createWatch(client,
        core.listNamespacedConfigMap(ns).watch(true).resourceVersion(rv).fieldSelector("metadata.name=w")
            .buildCall(null),
        new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
      core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta().name("w"))
          .data(Map.of("v", "1"))).execute();
      V1ConfigMap current = core.readNamespacedConfigMap("w", ns).execute();
      core.replaceNamespacedConfigMap("w", ns, current.data(Map.of("v", "2"))).execute();
      core.deleteNamespacedConfigMap("w", ns).execute();

      List<String> seen = new CopyOnWriteArrayList<>();
      for (Watch.Response<V1ConfigMap> event : watch) {
        seen.add(event.type + ":" + event.object.getData().get("v"));
        if (seen.size() == 3) {
          break;
        }
      }
      assertThat(seen).containsExactly("ADDED:1", "MODIFIED:2", "DELETED:2");
    }
  }

  @Test
  void sharedInformerListsThenFollows() throws Exception {
    CoreV1Api core = new CoreV1Api(client);
    String ns = namespace("informer");
    core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(informed("before"))).execute();

    SharedInformerFactory factory = new SharedInformerFactory(client);
    try {
      SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(
          params -> core.listNamespacedConfigMap(ns).labelSelector("informed").resourceVersion(params.resourceVersion)
              .watch(params.watch).timeoutSeconds(params.timeoutSeconds).buildCall(null),
          V1ConfigMap.class, V1ConfigMapList.class);
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      informer.addEventHandler(new ResourceEventHandler<>() {
        @Override
        public void onAdd(V1ConfigMap obj) {
          events.add("add:" + obj.getMetadata().getName());
        }

        @Override
        public void onUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) {
          events.add("update:" + newObj.getMetadata().getName());
        }

        @Override
        public void onDelete(V1ConfigMap obj, boolean finalStateUnknown) {
          events.add("delete:" + obj.getMetadata().getName());
        }
      });
      factory.startAllRegisteredInformers();
      assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("add:before");
      awaitTrue(informer::hasSynced);

      core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(informed("after"))).execute();
      assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("add:after");
      core.deleteNamespacedConfigMap("before", ns).execute();
      assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("delete:before");
      assertThat(informer.getIndexer().listKeys()).containsExactly(ns + "/after");
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }

  @Test
  void leaderElectionTakesTheLease() throws Exception {
    String ns = namespace("leader");
    LeaseLock lock = new LeaseLock(ns, "demo-lock", "candidate-1", client);
    LeaderElectionConfig config = new LeaderElectionConfig(lock, Duration.ofSeconds(10), Duration.ofSeconds(8),
        Duration.ofSeconds(2));
    BlockingQueue<String> became = new LinkedBlockingQueue<>();
    try (LeaderElector elector = new LeaderElector(config)) {
      Thread.ofVirtual().start(() -> elector.run(() -> became.add("leader"), () -> became.add("stopped")));
      assertThat(became.poll(60, TimeUnit.SECONDS)).isEqualTo("leader");
      var lease = new CoordinationV1Api(client).readNamespacedLease("demo-lock", ns).execute();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("candidate-1");
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(10);
    }
  }

  private static String namespace(String prefix) throws ApiException {
    String name = "java-" + prefix;
    new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
    return name;
  }

  private static V1ObjectMeta informed(String name) {
    return new V1ObjectMeta().name(name).labels(Map.of("informed", "yes"));
  }

  private static V1Deployment deployment(String name, int replicas, String image) {
    Map<String, String> labels = Map.of("app", name);
    return new V1Deployment().metadata(new V1ObjectMeta().name(name)).spec(new V1DeploymentSpec()
        .replicas(replicas)
        .selector(new V1LabelSelector().matchLabels(labels))
        .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels))
            .spec(new V1PodSpec().containers(List.of(new V1Container().name(name).image(image))))));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
