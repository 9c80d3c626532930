package dev.skiff.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.kubelet.image.BusyboxImages;
import dev.skiff.kubelet.image.ImageConfig;
import dev.skiff.kubelet.image.NodeImages;
import dev.skiff.kubelet.image.OciImage;
import dev.skiff.kubelet.image.OciLayoutWriter;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes, volumes, env, QoS, OOM and image import on the real machine (root, real containerd,
 * in-process API server), one node for the whole class. Probe traffic goes only to the pods this
 * test creates.
 */
class KubeletWorkloadTest {

  private static final Logger LOG = LoggerFactory.getLogger(KubeletWorkloadTest.class);
  private static final String NS = "kl2";
  private static final String PRELOADED = "docker.io/skiff/preloaded:1";
  private static final String IMPORTED = "docker.io/skiff/imported:2";
  private static final String DOCKER_FORMAT = "docker.io/skiff/dockerformat:3";
  private static final String ORPHAN = "0b5e55ed-0000-4000-8000-000000000001";

  @TempDir static Path tmp;
  static TestNode node;
  static String busybox;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @BeforeAll
  static void start() throws Exception {
    busybox = BusyboxImages.debian().busyboxReference();
    node = new TestNode(tmp, "skiff-workload-node", NS, () -> {
      // an archive left in the node's images/ directory is imported when the kubelet starts
      Path images = tmp.resolve("node/images");
      Files.createDirectories(images);
      writeImage(images.resolve("preloaded.tar"), PRELOADED, "MARK=preloaded");
      // the volumes of a pod that went while the kubelet was down
      Files.createDirectories(tmp.resolve("node/pods/" + ORPHAN + "/volumes/kubernetes.io~empty-dir/scratch"));
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void probesRestartUnhealthyContainersAndDriveReadiness() throws Exception {
    var client = node.client;
    Container dying = container("app", "sleep 3600")
        .withLivenessProbe(exec(List.of("cat", "/tmp/healthy"), 1, 2)).build();
    Container flip = container("flip", "sleep 4; touch /tmp/ready; sleep 8; rm /tmp/ready; sleep 3600")
        .withReadinessProbe(exec(List.of("cat", "/tmp/ready"), 1, 1)).build();
    Probe goodHttp = new ProbeBuilder().withNewHttpGet().withPath("/index.html").withPort(new IntOrString("http"))
        .addNewHttpHeader("X-Probe", "yes").endHttpGet().withPeriodSeconds(1).withTimeoutSeconds(2).build();
    Container good = container("good", "mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www")
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .withReadinessProbe(goodHttp)
        .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(8080)).endTcpSocket()
            .withPeriodSeconds(1).withFailureThreshold(3).withInitialDelaySeconds(2).build())
        .build();
    Container bad = container("bad", "mkdir -p /w2; exec httpd -f -p 8081 -h /w2")
        .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/missing").withPort(new IntOrString(8081))
            .endHttpGet().withPeriodSeconds(1).build())
        .build();
    Container neverUp = container("stuck", "sleep 3600")
        .withStartupProbe(exec(List.of("cat", "/tmp/never"), 1, 2)).build();
    Container slow = container("slow", "sleep 5; touch /tmp/started; sleep 3600")
        .withStartupProbe(exec(List.of("cat", "/tmp/started"), 1, 30))
        .withReadinessProbe(exec(List.of("true"), 1, 1)).build();

    var flips = new CopyOnWriteArrayList<Boolean>();
    var slowStates = new CopyOnWriteArrayList<String>();
    try (Watch w1 = watchContainer("toggle", "flip", s -> record(flips, s.getReady()));
        Watch w2 = watchContainer("startup", "slow", s -> {
          if (s.getState().getRunning() != null) {
            record(slowStates, "started=" + s.getStarted() + ",ready=" + s.getReady());
          }
        })) {
      for (Pod p : List.of(pod("liveness", List.of(dying)), pod("toggle", List.of(flip)),
          pod("web", List.of(good, bad)), pod("startup", List.of(slow)),
          pod("nostart", List.of(neverUp)))) {
        client.pods().inNamespace(NS).resource(p).create();
      }

      // liveness: the failing exec probe kills the container, which restarts per restartPolicy Always
      Pod restarted = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> get("liveness"), p -> status(p, "app").map(s -> s.getRestartCount() >= 1).orElse(false));
      ContainerStatus app = status(restarted, "app").orElseThrow();
      assertThat(app.getLastState().getTerminated()).as("the killed attempt").isNotNull();
      // SIGTERM (143) or, past the grace period, SIGKILL (137)
      assertThat(app.getLastState().getTerminated().getExitCode()).isIn(137, 143);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("liveness"))
          .extracting(Event::getReason).contains("Unhealthy", "Killing", "Started"));
      assertThat(events("liveness")).filteredOn(e -> e.getReason().equals("Unhealthy")).first()
          .satisfies(e -> assertThat(e.getMessage()).startsWith("Liveness probe failed:"));

      // httpGet readiness: 200 makes "good" ready, 404 keeps "bad" unready; the tcp liveness passes
      Pod web = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> get("web"), p -> status(p, "good").map(ContainerStatus::getReady).orElse(false));
      assertThat(status(web, "bad").orElseThrow().getReady()).isFalse();
      assertThat(condition(web, "Ready")).isEqualTo("False");
      assertThat(condition(web, "ContainersReady")).isEqualTo("False");
      String row = new Kubectl(node.server.kubeconfig()).run("get", "pods", "-n", NS, "web").assertOk().stdout();
      assertThat(row.lines().skip(1).findFirst().orElseThrow()).matches("web\\s+1/2\\s+Running\\s+0\\s+.*");

      // exec readiness: unready, ready once the file exists, unready again once it is gone
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> flips.size() >= 3 && flips.indexOf(true) > 0 && flips.lastIndexOf(false) > flips.indexOf(true));
      Pod toggled = get("toggle");
      assertThat(condition(toggled, "Ready")).isEqualTo("False");
      assertThat(flips.getFirst()).isFalse();

      // startup probe gating: running but neither started nor ready, then both
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> slowStates.contains("started=true,ready=true"));
      LOG.info("startup-gated container states: {}; readiness flips: {}", slowStates, flips);
      assertThat(slowStates.getFirst()).isEqualTo("started=false,ready=false");
      assertThat(condition(get("startup"), "Ready")).isEqualTo("True");
      assertThat(status(get("web"), "good").orElseThrow().getRestartCount()).isZero();

      // a startup probe that never passes kills the container like a liveness failure
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> get("nostart"), p -> status(p, "stuck").map(s -> s.getRestartCount() >= 1).orElse(false));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("nostart"))
          .extracting(Event::getMessage).anyMatch(m -> m.startsWith("Startup probe failed:"))
          .anyMatch(m -> m.equals("Container stuck failed startup probe, will be restarted")));
    }
  }

  @Test
  void volumesEnvAndCgroupsReachTheContainers() throws Exception {
    var client = node.client;
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
        .addToData("a", "1").addToData("b", "2").build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("sec").endMetadata()
        .addToStringData("token", "s3cret").addToStringData("other", "x").build()).create();
    client.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
        .withName("web-svc").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
    Path hostDir = tmp.resolve("hostdir");
    List<Volume> volumes = List.of(
        new VolumeBuilder().withName("cm").withNewConfigMap().withName("cm").endConfigMap().build(),
        new VolumeBuilder().withName("sec").withNewSecret().withSecretName("sec").withDefaultMode(0440)
            .addNewItem().withKey("token").withPath("tok/token").withMode(0400).endItem().endSecret().build(),
        new VolumeBuilder().withName("info").withNewDownwardAPI()
            .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
            .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
            .endDownwardAPI().build(),
        new VolumeBuilder().withName("shared").withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName("mem").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("8Mi"))
            .endEmptyDir().build(),
        new VolumeBuilder().withName("host").withNewHostPath().withPath(hostDir.toString())
            .withType("DirectoryOrCreate").endHostPath().build(),
        new VolumeBuilder().withName("proj").withNewProjected()
            .addNewSource().withNewConfigMap().withName("cm").addNewItem().withKey("a").withPath("cm-a").endItem()
            .endConfigMap().endSource()
            .addNewSource().withNewDownwardAPI().addNewItem().withPath("ns").withNewFieldRef()
            .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
            .endProjected().build());
    Container web = container("web", "exec httpd -f -p 8080 -h /srv")
        .addNewVolumeMount().withName("cm").withMountPath("/srv/cm").endVolumeMount()
        .addNewVolumeMount().withName("info").withMountPath("/srv/info").endVolumeMount()
        .addNewVolumeMount().withName("shared").withMountPath("/srv/shared").endVolumeMount()
        .addNewVolumeMount().withName("host").withMountPath("/srv/host").endVolumeMount()
        .addNewVolumeMount().withName("proj").withMountPath("/srv/proj").endVolumeMount()
        .build();
    Container writer = container("writer", String.join("; ",
        "echo \"$S_token\" > /out/envfrom", "stat -L -c %a /secret/tok/token > /out/secmode",
        "ls /secret > /out/seckeys", "grep ' /mem ' /proc/mounts > /out/memmount",
        "cat /etc/resolv.conf > /out/resolv", "echo in-sub > /sub/f", "cat /sub2/f > /out/sub2",
        "(touch /cm/new 2>/dev/null && echo rw || echo ro) > /out/cmro", "echo from-pod > /host/from-pod.txt",
        "cat /sys/fs/cgroup/cpu/cpu.shares > /out/shares", "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us > /out/quota",
        "env | grep -E '^(WEB_SVC|KUBERNETES)_SERVICE_(HOST|PORT)=' | sort > /out/svcenv",
        "grep ' /secret ' /proc/mounts > /out/secmount",
        "touch /out/done", "sleep 3600"))
        .addNewEnvFrom().withPrefix("S_").withNewSecretRef().withName("sec").endSecretRef().endEnvFrom()
        .addNewVolumeMount().withName("shared").withMountPath("/out").endVolumeMount()
        .addNewVolumeMount().withName("shared").withMountPath("/sub").withSubPathExpr("$(SUBDIR)").endVolumeMount()
        .addNewEnv().withName("SUBDIR").withValue("sub").endEnv()
        .addNewVolumeMount().withName("shared").withMountPath("/sub2").withSubPath("sub").endVolumeMount()
        .addNewVolumeMount().withName("sec").withMountPath("/secret").endVolumeMount()
        .addNewVolumeMount().withName("mem").withMountPath("/mem").endVolumeMount()
        .addNewVolumeMount().withName("cm").withMountPath("/cm").endVolumeMount()
        .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount()
        .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("32Mi"))
        .addToLimits("cpu", new Quantity("500m")).endResources()
        .build();
    Files.createDirectories(hostDir);
    Files.writeString(hostDir.resolve("from-host.txt"), "hello-from-host");
    Pod pod = new PodBuilder(pod("vols", List.of(web, writer))).editSpec().withVolumes(volumes).endSpec()
        .editMetadata().addToLabels("tier", "test").endMetadata().build();
    client.pods().inNamespace(NS).resource(pod).create();
    Pod running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("vols"), p -> condition(p, "Ready").equals("True"));
    String ip = running.getStatus().getPodIP();
    String uid = running.getMetadata().getUid();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> fetch(ip, "shared/done") != null);

    assertThat(running.getStatus().getQosClass()).isEqualTo("Burstable");
    assertThat(fetch(ip, "cm/a")).isEqualTo("1");
    assertThat(fetch(ip, "cm/b")).isEqualTo("2");
    assertThat(fetch(ip, "info/labels")).isEqualTo("app=\"vols\"\ntier=\"test\"");
    assertThat(fetch(ip, "info/name")).isEqualTo("vols");
    assertThat(fetch(ip, "proj/cm-a")).isEqualTo("1");
    assertThat(fetch(ip, "proj/ns")).isEqualTo(NS);
    assertThat(fetch(ip, "host/from-host.txt")).isEqualTo("hello-from-host");
    assertThat(Files.readString(hostDir.resolve("from-pod.txt")).strip()).isEqualTo("from-pod");
    assertThat(fetch(ip, "shared/envfrom").strip()).isEqualTo("s3cret");
    assertThat(fetch(ip, "shared/secmode").strip()).as("the item's mode").isEqualTo("400");
    assertThat(fetch(ip, "shared/seckeys").strip()).as("only the listed item").isEqualTo("tok");
    assertThat(fetch(ip, "shared/memmount")).startsWith("tmpfs /mem tmpfs").contains("size=8192k");
    assertThat(fetch(ip, "shared/cmro").strip()).isEqualTo("ro");
    assertThat(fetch(ip, "shared/sub/f").strip()).as("written through the subPathExpr mount").isEqualTo("in-sub");
    assertThat(fetch(ip, "shared/sub2").strip()).as("read through the subPath mount").isEqualTo("in-sub");
    assertThat(fetch(ip, "shared/shares").strip()).isEqualTo("256");
    assertThat(fetch(ip, "shared/quota").strip()).isEqualTo("50000");
    assertThat(fetch(ip, "shared/resolv")).contains("nameserver 10.43.0.10")
        .contains("search " + NS + ".svc.cluster.local svc.cluster.local cluster.local").contains("options ndots:5");
    assertThat(fetch(ip, "shared/svcenv").lines().toList()).contains("KUBERNETES_SERVICE_HOST=10.43.0.1",
        "KUBERNETES_SERVICE_PORT=443", "WEB_SVC_SERVICE_PORT=80").anyMatch(l -> l.startsWith("WEB_SVC_SERVICE_HOST=10.43."));
    assertThat(fetch(ip, "shared/secmount")).as("secrets stay in memory").startsWith("tmpfs /secret tmpfs");
    Path volumeRoot = node.config.dataDir().resolve("pods").resolve(uid).resolve("volumes");
    assertThat(volumeRoot.resolve("kubernetes.io~configmap/cm/..data")).isSymbolicLink();

    // an update of the ConfigMap reaches the running pod, swapped in atomically
    long begin = System.nanoTime();
    client.configMaps().inNamespace(NS).withName("cm").edit(cm -> new ConfigMapBuilder(cm).addToData("a", "changed")
        .removeFromData("b").build());
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> "changed".equals(fetch(ip, "cm/a")));
    LOG.info("ConfigMap update reached the pod's volume in {} ms", (System.nanoTime() - begin) / 1_000_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> fetch(ip, "cm/b") == null);

    // deletion removes the pod's volumes and unmounts its tmpfs
    client.pods().inNamespace(NS).withName("vols").withGracePeriod(1).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> get("vols") == null);
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(volumeRoot.getParent()));
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(uid);
    assertThat(hostDir.resolve("from-host.txt")).as("hostPath contents stay").exists();
  }

  @Test
  void postStartAndPreStopHooksRunAndAFailedPostStartRestartsTheContainer() throws Exception {
    Path host = tmp.resolve("hooks-host");
    Files.createDirectories(host);
    Container web = container("web", "mkdir -p /www; exec httpd -f -p 8080 -h /www")
        .withNewLifecycle()
        .withNewPostStart().withNewExec().withCommand("sh", "-c", "mkdir -p /www; echo started > /www/poststart")
        .endExec().endPostStart()
        .withNewPreStop().withNewExec().withCommand("sh", "-c", "echo bye > /host/prestop").endExec().endPreStop()
        .endLifecycle()
        .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount().build();
    Pod hooked = new PodBuilder(pod("hooks", List.of(web))).editSpec().withTerminationGracePeriodSeconds(10L)
        .addNewVolume().withName("host").withNewHostPath().withPath(host.toString()).endHostPath().endVolume()
        .endSpec().build();
    node.client.pods().inNamespace(NS).resource(hooked).create();
    Pod running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("hooks"), p -> status(p, "web").map(s -> s.getState().getRunning() != null).orElse(false)
            && p.getStatus().getPodIP() != null);
    String ip = running.getStatus().getPodIP();
    assertThat(await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> fetch(ip, "poststart"),
        body -> body != null)).isEqualTo("started\n");
    node.client.pods().inNamespace(NS).withName("hooks").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(host.resolve("prestop")));
    assertThat(Files.readString(host.resolve("prestop"))).isEqualTo("bye\n");

    Container failing = container("app", "sleep 3600").withNewLifecycle().withNewPostStart().withNewExec()
        .withCommand("sh", "-c", "exit 7").endExec().endPostStart().endLifecycle().build();
    node.client.pods().inNamespace(NS).resource(pod("badhook", List.of(failing))).create();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> status(get("badhook"), "app").map(s -> s.getRestartCount() >= 1).orElse(false));
    assertThat(events("badhook")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("FailedPostStartHook");
      assertThat(e.getMessage()).contains("Exec lifecycle hook").contains("exited with 7");
    });
    node.client.pods().inNamespace(NS).withName("badhook").withGracePeriod(0).delete();
  }

  @Test
  void containerOverItsMemoryLimitIsOomKilled() {
    Container hog = container("hog", "exec dd if=/dev/zero of=/dev/null bs=64M count=1")
        .withNewResources().addToLimits("memory", new Quantity("16Mi")).endResources().build();
    Pod pod = new PodBuilder(pod("oom", List.of(hog))).editSpec().withRestartPolicy("Never").endSpec().build();
    node.client.pods().inNamespace(NS).resource(pod).create();
    Pod failed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("oom"), p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));
    var terminated = status(failed, "hog").orElseThrow().getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("OOMKilled");
    assertThat(terminated.getExitCode()).isEqualTo(137);
    assertThat(failed.getStatus().getQosClass()).isEqualTo("Burstable");
  }

  @Test
  void importedArchivesServePods() throws Exception {
    assertThat(node.kubelet.cri().images().imageStatus(PRELOADED)).as("imported at kubelet start").isPresent();
    Path archive = tmp.resolve("imported.tar");
    writeImage(archive, IMPORTED, "MARK=imported");
    var images = new NodeImages(node.config.dataDir());
    List<String> names = images.add(archive, NodeImages.supervisedSocket(node.config.dataDir()));
    assertThat(names).contains(IMPORTED);
    assertThat(images.directory().resolve("imported.tar")).as("kept for the next start").exists();
    // the `docker save` format imports the same way
    Path docker = tmp.resolve("docker-save.tar");
    writeDockerArchive(docker, DOCKER_FORMAT);
    assertThat(images.add(docker, NodeImages.supervisedSocket(node.config.dataDir()))).contains(DOCKER_FORMAT);
    assertThat(node.kubelet.cri().images().imageStatus(DOCKER_FORMAT)).isPresent();
    Container c = new ContainerBuilder().withName("c").withImage(IMPORTED).withImagePullPolicy("Never")
        .withCommand("sh", "-c", "test \"$MARK\" = imported").build();
    Pod pod = new PodBuilder(pod("imported", List.of(c))).editSpec().withRestartPolicy("Never").endSpec().build();
    node.client.pods().inNamespace(NS).resource(pod).create();
    Pod done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("imported"), p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));
    assertThat(status(done, "c").orElseThrow().getImage()).isEqualTo(IMPORTED);
  }

  /** An image of its own (its env differs, so its ID differs from the busybox image's). */
  @Test
  void volumesOfPodsThatWentWhileTheKubeletWasDownAreRemoved() {
    await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(node.config.dataDir().resolve("pods/" + ORPHAN)));
  }

  private static void writeImage(Path target, String reference, String env) throws Exception {
    var images = BusyboxImages.debian();
    OciLayoutWriter.write(target, List.of(new OciImage(List.of(reference), List.of(images.rootfsLayer()),
        new ImageConfig(List.of(), List.of("sh"), List.of(ImageConfig.DEFAULT_PATH, env), "/"))),
        OciLayoutWriter.hostArchitecture());
  }

  /** A {@code docker save} archive: manifest.json, the config, one layer tar. */
  private static void writeDockerArchive(Path target, String reference) throws Exception {
    byte[] layer = BusyboxImages.debian().rootfsLayer();
    String diffId = "sha256:" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(layer));
    String config = ("{\"architecture\":\"%s\",\"os\":\"linux\",\"config\":{\"Env\":[\"%s\",\"MARK=docker\"],"
        + "\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}")
        .formatted(OciLayoutWriter.hostArchitecture(), ImageConfig.DEFAULT_PATH, diffId);
    String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + reference
        + "\"],\"Layers\":[\"layer/layer.tar\"]}]";
    try (var out = Files.newOutputStream(target); var tar = new dev.skiff.kubelet.image.TarArchiveWriter(out)) {
      tar.file("manifest.json", 0644, manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      tar.file("config.json", 0644, config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      tar.directory("layer", 0755);
      tar.file("layer/layer.tar", 0644, layer);
    }
  }

  private static ContainerBuilder container(String name, String script) {
    return new ContainerBuilder().withName(name).withImage(busybox).withCommand("sh", "-c", script);
  }

  private static Probe exec(List<String> command, int period, int failureThreshold) {
    return new ProbeBuilder().withNewExec().withCommand(command).endExec().withPeriodSeconds(period)
        .withFailureThreshold(failureThreshold).withTimeoutSeconds(2).build();
  }

  private static Pod pod(String name, List<Container> containers) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", name).endMetadata()
        .withNewSpec().withNodeName(node.node).withRestartPolicy("Always").withContainers(containers)
        .withTerminationGracePeriodSeconds(1L).endSpec().build();
  }

  private static Pod get(String name) {
    return node.client.pods().inNamespace(NS).withName(name).get();
  }

  private static Optional<ContainerStatus> status(Pod p, String container) {
    return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? Optional.empty()
        : p.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container)).findFirst();
  }

  private static String condition(Pod p, String type) {
    return p == null || p.getStatus() == null || p.getStatus().getConditions() == null ? ""
        : p.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).map(c -> c.getStatus())
            .findFirst().orElse("");
  }

  private static List<Event> events(String pod) {
    return node.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
  }

  /** A file the pod's httpd serves, or null on 404. */
  private static String fetch(String ip, String path) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/" + path)).timeout(Duration.ofSeconds(2))
        .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return null;
    }
    assertThat(r.statusCode()).as("GET /%s", path).isEqualTo(200);
    return r.body();
  }

  /** Adds {@code value} when it differs from the last one recorded. */
  private static <T> void record(List<T> seen, T value) {
    if (seen.isEmpty() || !seen.getLast().equals(value)) {
      seen.add(value);
    }
  }

  private static Watch watchContainer(String pod, String container, java.util.function.Consumer<ContainerStatus> onStatus) {
    return node.client.pods().inNamespace(NS).withName(pod).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod p) {
        status(p, container).ifPresent(onStatus);
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }
}
