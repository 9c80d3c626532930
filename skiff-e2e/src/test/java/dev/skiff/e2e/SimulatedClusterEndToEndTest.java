package dev.skiff.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's workload list, proven against a real {@code skiff server --disable-agent
 * --simulated-nodes 3} process with the real kubectl: Deployments (spread, rolling update within
 * its availability bounds, undo, scale, cascading and orphaning delete), Jobs, a CronJob, a
 * DaemonSet, a StatefulSet, the scheduler's placement rules, and a node that dies.
 *
 * <p>One server serves the whole class; each test works in its own namespace. The order matters
 * only in that the tests which change the set of nodes (a taint, a node added by {@code skiff
 * simulate} and then killed) run after those that count on exactly three healthy nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SimulatedClusterEndToEndTest {
  private static final String IMAGE = "docker.io/skiff/busybox:1.35";
  private static final String NEW_IMAGE = "docker.io/skiff/busybox:1.36";
  private static final Duration SHORT = Duration.ofSeconds(60);
  private static final Duration LONG = Duration.ofSeconds(150);
  private static final Set<String> NODES = Set.of("sim-node-0001", "sim-node-0002", "sim-node-0003");

  @TempDir static Path tmp;
  static SkiffServer server;
  static ClusterProbe k;

  @BeforeAll
  static void startServer() throws Exception {
    server = SkiffServer.start(tmp.resolve("data"), "--simulated-nodes", "3");
    k = new ClusterProbe(server.kubectl(), tmp);
    k.awaitEquals(SHORT, "True True True", "get", "nodes", "-o",
        "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}");
    // the CronJob fires at the next minute boundary: start it now so the wait overlaps the other tests
    k.ok("create", "namespace", "cron");
    server.awaitDefaultServiceAccount("cron"); // pods are refused until it exists
    k.apply("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: tick, namespace: cron}
        spec:
          schedule: "* * * * *"
          jobTemplate:
            spec:
              template:
                metadata: {annotations: {skiff.dev/simulate-exit-code: "0"}}
                spec:
                  restartPolicy: Never
                  containers: [{name: tick, image: %s}]
        """.formatted(IMAGE));
  }

  @AfterAll
  static void stopServer() throws java.io.IOException {
    if (server != null) {
      server.close();
      // keep the server's log where the build's reports are: the temp dir goes with the class
      Path target = Path.of("target");
      if (java.nio.file.Files.isDirectory(target)) {
        java.nio.file.Files.copy(tmp.resolve("data-server.log"), target.resolve("simulated-cluster-server.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  @Order(1)
  void aDeploymentRollsOutUpdatesUndoesScalesAndCascades() throws Exception {
    k.ok("create", "namespace", "deploy");
    server.awaitDefaultServiceAccount("deploy"); // pods are refused until it exists
    k.ok("create", "deployment", "web", "-n", "deploy", "--image=" + IMAGE, "--replicas=10");
    assertThat(k.ok("rollout", "status", "deployment/web", "-n", "deploy", "--timeout=120s"))
        .contains("successfully rolled out");
    assertThat(k.ok("get", "deployment", "web", "-n", "deploy", "-o", "jsonpath={.status.availableReplicas}"))
        .isEqualTo("10");
    Set<String> used = Arrays.stream(k.ok("get", "pods", "-n", "deploy", "-l", "app=web", "-o",
        "jsonpath={.items[*].spec.nodeName}").split(" ")).collect(Collectors.toSet());
    assertThat(used).as("10 replicas spread over the nodes").isEqualTo(NODES);

    // A rolling update with the defaults (maxUnavailable 25% -> 2, maxSurge 25% -> 3 of 10), watched throughout.
    List<String> seen;
    try (KubectlWatch watch = new KubectlWatch(k.kubectl(), "get", "deployment", "web", "-n", "deploy", "-w", "-o",
        "jsonpath={.status.availableReplicas} {.status.replicas}{\"\\n\"}")) {
      k.ok("set", "image", "deployment/web", "-n", "deploy", "busybox=" + NEW_IMAGE);
      assertThat(k.ok("rollout", "status", "deployment/web", "-n", "deploy", "--timeout=120s"))
          .contains("successfully rolled out");
      seen = watch.lines();
    }
    assertThat(seen).as("deployment status during the rollout").hasSizeGreaterThan(2);
    for (String line : seen) {
      String[] f = line.split(" ");
      assertThat(f).as("status line '%s'", line).hasSize(2);
      assertThat(Integer.parseInt(f[0])).as("available in '%s'", line).isGreaterThanOrEqualTo(8);
      assertThat(Integer.parseInt(f[1])).as("pods in '%s'", line).isLessThanOrEqualTo(13);
    }
    assertThat(k.ok("get", "pods", "-n", "deploy", "-l", "app=web", "-o",
        "jsonpath={.items[*].spec.containers[0].image}").split(" ")).hasSize(10).containsOnly(NEW_IMAGE);
    assertThat(k.ok("get", "rs", "-n", "deploy", "-l", "app=web", "--no-headers").lines()).hasSize(2);

    k.ok("rollout", "undo", "deployment/web", "-n", "deploy");
    assertThat(k.ok("rollout", "status", "deployment/web", "-n", "deploy", "--timeout=120s"))
        .contains("successfully rolled out");
    assertThat(k.ok("get", "deployment", "web", "-n", "deploy", "-o",
        "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
        .isEqualTo(IMAGE + " 3");
    assertThat(k.ok("get", "rs", "-n", "deploy", "-l", "app=web", "--no-headers").lines()).hasSize(2);
    k.await(SHORT, out -> out.split(" ").length == 10 && !out.contains(NEW_IMAGE), "get", "pods", "-n", "deploy",
        "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}");

    k.ok("scale", "deployment/web", "-n", "deploy", "--replicas=15");
    k.awaitEquals(SHORT, "15", "get", "deployment", "web", "-n", "deploy", "-o", "jsonpath={.status.availableReplicas}");
    k.ok("scale", "deployment/web", "-n", "deploy", "--replicas=4");
    k.awaitEquals(SHORT, "4 4", "get", "deployment", "web", "-n", "deploy", "-o",
        "jsonpath={.status.replicas} {.status.availableReplicas}");
    awaitLivePods("deploy", "app=web", 4);

    k.ok("delete", "deployment", "web", "-n", "deploy");
    k.awaitEquals(SHORT, "", "get", "rs,pods", "-n", "deploy", "-l", "app=web", "-o", "name");

    k.ok("create", "deployment", "kept", "-n", "deploy", "--image=" + IMAGE, "--replicas=2");
    k.ok("rollout", "status", "deployment/kept", "-n", "deploy", "--timeout=120s");
    k.ok("delete", "deployment", "kept", "-n", "deploy", "--cascade=orphan");
    // the garbage collector removes the owner references instead of the dependents
    k.awaitEquals(SHORT, "", "get", "rs", "-n", "deploy", "-l", "app=kept", "-o",
        "jsonpath={.items[*].metadata.ownerReferences}");
    assertThat(k.ok("get", "rs", "-n", "deploy", "-l", "app=kept", "-o", "jsonpath={.items[*].status.readyReplicas}"))
        .isEqualTo("2");
    assertThat(k.livePods("deploy", "app=kept")).hasSize(2).allMatch(p -> p.endsWith("Running"));
  }

  @Test
  @Order(2)
  void aJobCompletesAndAFailingJobStopsAtItsBackoffLimit() throws Exception {
    k.ok("create", "namespace", "jobs");
    server.awaitDefaultServiceAccount("jobs"); // pods are refused until it exists
    k.apply(job("done", 0, 3, 6));
    k.apply(job("broken", 1, 1, 1));
    assertThat(k.ok("wait", "--for=condition=Complete", "job/done", "-n", "jobs", "--timeout=120s"))
        .contains("condition met");
    assertThat(k.ok("get", "job", "done", "-n", "jobs", "-o", "jsonpath={.status.succeeded}")).isEqualTo("3");

    assertThat(k.ok("wait", "--for=condition=Failed", "job/broken", "-n", "jobs", "--timeout=120s"))
        .contains("condition met");
    assertThat(k.ok("get", "job", "broken", "-n", "jobs", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason} {.status.failed}"))
        .isEqualTo("BackoffLimitExceeded 2");
    // backoffLimit 1: the first pod and one retry, then no more
    Thread.sleep(3000);
    assertThat(k.ok("get", "pods", "-n", "jobs", "-l", "job-name=broken", "-o", "jsonpath={.items[*].status.phase}"))
        .isEqualTo("Failed Failed");
  }

  private static String job(String name, int exitCode, int completions, int backoffLimit) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s, namespace: jobs}
        spec:
          completions: %d
          parallelism: 2
          backoffLimit: %d
          template:
            metadata: {annotations: {skiff.dev/simulate-exit-code: "%d"}}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: %s}]
        """.formatted(name, completions, backoffLimit, exitCode, IMAGE);
  }

  @Test
  @Order(3)
  void aStatefulSetCreatesItsPodsInOrder() throws Exception {
    k.ok("create", "namespace", "sts");
    server.awaitDefaultServiceAccount("sts"); // pods are refused until it exists
    List<String> seen;
    try (KubectlWatch watch = new KubectlWatch(k.kubectl(), "get", "pods", "-n", "sts", "-w", "--no-headers", "-o",
        "custom-columns=NAME:.metadata.name,PHASE:.status.phase")) {
      k.apply("""
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db, namespace: sts}
          spec:
            serviceName: db
            replicas: 3
            selector: {matchLabels: {app: db}}
            template:
              metadata: {labels: {app: db}}
              spec: {containers: [{name: db, image: %s}]}
          """.formatted(IMAGE));
      k.ok("rollout", "status", "statefulset/db", "-n", "sts", "--timeout=120s");
      k.awaitEquals(SHORT, "3", "get", "statefulset", "db", "-n", "sts", "-o", "jsonpath={.status.readyReplicas}");
      Thread.sleep(500); // let the watch print the last events
      seen = watch.lines();
    }
    // each ordinal appears only after the one before it is Running
    for (int i = 1; i < 3; i++) {
      String pod = "db-" + i;
      int previous = i - 1;
      int first = indexOf(seen, l -> l.startsWith(pod + " "));
      int previousRunning = indexOf(seen, l -> l.equals("db-" + previous + " Running"));
      assertThat(first).as("%s appears in %s", pod, seen).isNotNegative();
      assertThat(previousRunning).as("db-%d Running before %s in %s", i - 1, pod, seen).isBetween(0, first);
    }
  }

  @Test
  @Order(4)
  void taintsAffinityTopologySpreadAndPreemptionPlacePodsAsUpstream() throws Exception {
    k.ok("create", "namespace", "sched");
    server.awaitDefaultServiceAccount("sched"); // pods are refused until it exists
    // taints: only a pod that tolerates the taint goes to the tainted node
    k.ok("taint", "nodes", "sim-node-0001", "e2e=dedicated:NoSchedule");
    try {
      k.ok("create", "deployment", "plain", "-n", "sched", "--image=" + IMAGE, "--replicas=6");
      k.ok("rollout", "status", "deployment/plain", "-n", "sched", "--timeout=120s");
      assertThat(k.ok("get", "pods", "-n", "sched", "-l", "app=plain", "-o", "jsonpath={.items[*].spec.nodeName}"))
          .doesNotContain("sim-node-0001");
      k.apply(pinnedPod("tolerant", "tolerations: [{key: e2e, value: dedicated, effect: NoSchedule}]"));
      k.apply(pinnedPod("intolerant", ""));
      k.awaitEquals(SHORT, "Running sim-node-0001", "get", "pod", "tolerant", "-n", "sched", "-o",
          "jsonpath={.status.phase} {.spec.nodeName}");
      k.await(SHORT, out -> out.contains("untolerated taint"), "get", "events", "-n", "sched", "--field-selector",
          "involvedObject.name=intolerant,reason=FailedScheduling", "-o", "jsonpath={.items[*].message}");
      assertThat(k.ok("get", "pod", "intolerant", "-n", "sched", "-o", "jsonpath={.status.phase}{.spec.nodeName}"))
          .isEqualTo("Pending");
    } finally {
      k.ok("taint", "nodes", "sim-node-0001", "e2e=dedicated:NoSchedule-");
    }
    // once the taint is gone the waiting pod is retried and placed
    k.awaitEquals(SHORT, "Running sim-node-0001", "get", "pod", "intolerant", "-n", "sched", "-o",
        "jsonpath={.status.phase} {.spec.nodeName}");

    // required node affinity: zone-b holds only the second node
    k.apply(podWith("zoned", """
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms: [{matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}]}]
        """, ""));
    k.awaitEquals(SHORT, "Running sim-node-0002", "get", "pod", "zoned", "-n", "sched", "-o",
        "jsonpath={.status.phase} {.spec.nodeName}");

    // required pod anti-affinity per host: three nodes hold three of four replicas
    k.apply(deployment("solo", 4, """
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                  - {labelSelector: {matchLabels: {app: solo}}, topologyKey: kubernetes.io/hostname}
        """, ""));
    k.awaitEquals(SHORT, "3", "get", "deployment", "solo", "-n", "sched", "-o", "jsonpath={.status.availableReplicas}");
    assertThat(Set.of(k.ok("get", "pods", "-n", "sched", "-l", "app=solo", "--field-selector", "status.phase=Running",
        "-o", "jsonpath={.items[*].spec.nodeName}").split(" "))).isEqualTo(NODES);
    k.awaitEquals(SHORT, "Pending", "get", "pods", "-n", "sched", "-l", "app=solo", "--field-selector",
        "status.phase=Pending", "-o", "jsonpath={.items[*].status.phase}");

    // topology spread over zones with maxSkew 1: two replicas in each of the three zones
    k.apply(deployment("spread", 6, """
              topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                 labelSelector: {matchLabels: {app: spread}}}
        """, ""));
    k.awaitEquals(SHORT, "6", "get", "deployment", "spread", "-n", "sched", "-o", "jsonpath={.status.availableReplicas}");
    List<String> spreadNodes = List.of(k.ok("get", "pods", "-n", "sched", "-l", "app=spread", "-o",
        "jsonpath={.items[*].spec.nodeName}").split(" "));
    for (String node : NODES) {
      assertThat(spreadNodes).as("replicas on %s", node).filteredOn(node::equals).hasSize(2);
    }

    // preemption: three low-priority pods fill 20 of each node's 32 CPUs; a high-priority one evicts one of them
    k.apply("""
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: e2e-high}
        value: 1000
        """);
    k.apply(deployment("low", 3, "", "resources: {requests: {cpu: \"20\"}}"));
    k.awaitEquals(SHORT, "3", "get", "deployment", "low", "-n", "sched", "-o", "jsonpath={.status.availableReplicas}");
    k.apply(podWith("vip", "  priorityClassName: e2e-high\n", "resources: {requests: {cpu: \"20\"}}"));
    k.await(SHORT, out -> out.startsWith("Running 1000 sim-node-"), "get", "pod", "vip", "-n", "sched", "-o",
        "jsonpath={.status.phase} {.spec.priority} {.spec.nodeName}");
    // the victim's replacement finds no room and waits
    k.awaitEquals(SHORT, "Pending", "get", "pods", "-n", "sched", "-l", "app=low", "-o",
        "jsonpath={.items[?(@.status.phase==\"Pending\")].status.phase}");
    k.awaitEquals(SHORT, "2", "get", "deployment", "low", "-n", "sched", "-o", "jsonpath={.status.availableReplicas}");
    k.ok("delete", "namespace", "sched", "--wait=false");
    k.ok("delete", "priorityclass", "e2e-high");
  }

  /**
   * A DaemonSet covers the three nodes and a fourth that {@code skiff simulate} adds; when that
   * process is killed its node stops heartbeating, turns Unknown after the 40 s grace period and
   * is tainted unreachable, and pods that tolerate that for only 5 s are replaced elsewhere while
   * the DaemonSet's pod (which tolerates it for ever) stays.
   */
  @Test
  @Order(5)
  void aDaemonSetCoversEveryNodeAndADeadNodesPodsMoveElsewhere() throws Exception {
    k.ok("create", "namespace", "ds");
    server.awaitDefaultServiceAccount("ds"); // pods are refused until it exists
    k.apply("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: ds}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: %s}]}
        """.formatted(IMAGE));
    k.awaitEquals(SHORT, "3 3", "get", "daemonset", "agent", "-n", "ds", "-o",
        "jsonpath={.status.desiredNumberScheduled} {.status.numberAvailable}");
    assertThat(Set.of(k.ok("get", "pods", "-n", "ds", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}")
        .split(" "))).isEqualTo(NODES);

    Path log = tmp.resolve("simulate.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process simulate = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-jar", System.getProperty("skiff.jar", "../skiff-cli/target/skiff.jar"),
        "simulate", "--nodes", "1", "--name-prefix", "sim-extra", "--kubeconfig", server.kubeconfig().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      k.awaitEquals(LONG, "True", "get", "node", "sim-extra-0001", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
      k.awaitEquals(SHORT, "4 4", "get", "daemonset", "agent", "-n", "ds", "-o",
          "jsonpath={.status.desiredNumberScheduled} {.status.numberAvailable}");
      assertThat(k.ok("get", "pods", "-n", "ds", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}"))
          .contains("sim-extra-0001");

      k.apply("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: movable, namespace: ds}
          spec:
            replicas: 2
            selector: {matchLabels: {app: movable}}
            template:
              metadata: {labels: {app: movable}}
              spec:
                affinity:
                  nodeAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      preference: {matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [sim-extra-0001]}]}
                tolerations:
                - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                containers: [{name: main, image: %s}]
          """.formatted(IMAGE));
      k.awaitEquals(SHORT, "2", "get", "deployment", "movable", "-n", "ds", "-o", "jsonpath={.status.availableReplicas}");
      assertThat(k.ok("get", "pods", "-n", "ds", "-l", "app=movable", "-o", "jsonpath={.items[*].spec.nodeName}"))
          .isEqualTo("sim-extra-0001 sim-extra-0001");

      simulate.destroy(); // SIGTERM: the node's heartbeats stop, as when its kubelet dies
      assertThat(simulate.waitFor(30, TimeUnit.SECONDS)).as("skiff simulate exits on SIGTERM").isTrue();
      k.awaitEquals(LONG, "Unknown", "get", "node", "sim-extra-0001", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
      k.await(SHORT, out -> out.contains("node.kubernetes.io/unreachable:NoSchedule")
              && out.contains("node.kubernetes.io/unreachable:NoExecute"), "get", "node", "sim-extra-0001", "-o",
          "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}");
      long deadline = System.nanoTime() + SHORT.toNanos();
      List<String> moved = List.of();
      while (System.nanoTime() < deadline) {
        moved = k.livePods("ds", "app=movable");
        if (moved.size() == 2 && moved.stream().allMatch(p -> p.endsWith("Running") && !p.contains("sim-extra"))) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(moved).as("movable's live pods").hasSize(2)
          .allMatch(p -> p.endsWith("Running") && !p.contains("sim-extra"));
      assertThat(k.livePods("ds", "app=agent")).as("the DaemonSet keeps its pod on the dead node")
          .anyMatch(p -> p.contains("sim-extra-0001"));
    } finally {
      if (simulate.isAlive()) {
        simulate.destroyForcibly();
        simulate.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(6)
  void aCronJobFiresOnSchedule() throws Exception {
    // created when the server started; it fires at the first minute boundary after that
    String jobs = k.await(LONG, out -> !out.isEmpty() && out.contains(" 1"), "get", "jobs", "-n", "cron", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.succeeded}{\"\\n\"}{end}");
    assertThat(jobs.lines().findFirst().orElseThrow()).matches("tick-\\d+ 1");
    assertThat(k.ok("get", "jobs", "-n", "cron", "-o", "jsonpath={.items[0].metadata.ownerReferences[0].kind}"))
        .isEqualTo("CronJob");
    assertThat(k.ok("get", "cronjob", "tick", "-n", "cron", "-o", "jsonpath={.status.lastScheduleTime}"))
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:00Z");
  }

  private static String pinnedPod(String name, String tolerations) {
    return podWith(name, "  nodeSelector: {kubernetes.io/hostname: sim-node-0001}\n"
        + (tolerations.isEmpty() ? "" : "  " + tolerations + "\n"), "");
  }

  /** A pod in namespace sched; {@code specLines} are spec fields indented by two spaces. */
  private static String podWith(String name, String specLines, String containerExtra) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: sched, labels: {app: %s}}
        spec:
        %s  containers: [{name: main, image: %s%s}]
        """.formatted(name, name, specLines, IMAGE, containerExtra.isEmpty() ? "" : ", " + containerExtra);
  }

  /** A Deployment in namespace sched; {@code podSpecLines} are pod spec fields indented by six spaces. */
  private static String deployment(String name, int replicas, String podSpecLines, String containerExtra) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: sched}
        spec:
          replicas: %2$d
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
        %3$s      containers: [{name: main, image: %4$s%5$s}]
        """.formatted(name, replicas, podSpecLines, IMAGE, containerExtra.isEmpty() ? "" : ", " + containerExtra);
  }

  private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
    for (int i = 0; i < lines.size(); i++) {
      if (p.test(lines.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static void awaitLivePods(String namespace, String selector, int count) throws InterruptedException {
    long deadline = System.nanoTime() + SHORT.toNanos();
    List<String> pods = List.of();
    while (System.nanoTime() < deadline) {
      pods = k.livePods(namespace, selector);
      if (pods.size() == count) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("expected " + count + " live pods " + selector + " in " + namespace + ", saw " + pods);
  }
}
