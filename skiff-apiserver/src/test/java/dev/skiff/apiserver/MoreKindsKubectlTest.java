package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the built-in kinds beyond the first set, on a real SQLite store. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MoreKindsKubectlTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;

  static final String MANIFEST = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: web}
      spec:
        serviceName: web
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: nginx, image: nginx:1.27}]}
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      spec:
        selector: {matchLabels: {app: agent}}
        template:
          metadata: {labels: {app: agent}}
          spec: {containers: [{name: agent, image: busybox}]}
      ---
      apiVersion: batch/v1
      kind: Job
      metadata: {name: pi}
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: pi, image: perl}]
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: nightly}
      spec:
        schedule: "0 3 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: OnFailure
                containers: [{name: backup, image: busybox}]
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: web-pdb}
      spec:
        minAvailable: 1
        selector: {matchLabels: {app: web}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: site}
      spec:
        ingressClassName: nginx
        rules:
        - host: example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      ---
      apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: high}
      value: 1000
      description: important
      """;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
    server.start();
    kubectl = new Kubectl(server.kubeconfig());
    Path file = dir.resolve("kinds.yaml");
    Files.writeString(file, MANIFEST);
    assertThat(kubectl.run("apply", "-f", file.toString()).assertOk().stdout()).contains(
        "statefulset.apps/web created", "daemonset.apps/agent created", "job.batch/pi created",
        "cronjob.batch/nightly created", "poddisruptionbudget.policy/web-pdb created",
        "ingress.networking.k8s.io/site created", "priorityclass.scheduling.k8s.io/high created");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void apiResourcesListShortNames() {
    String out = kubectl.run("api-resources").assertOk().stdout();
    assertThat(out).containsPattern("statefulsets\\s+sts\\s+apps/v1\\s+true\\s+StatefulSet")
        .containsPattern("daemonsets\\s+ds\\s+apps/v1\\s+true\\s+DaemonSet")
        .containsPattern("cronjobs\\s+cj\\s+batch/v1\\s+true\\s+CronJob")
        .containsPattern("jobs\\s+batch/v1\\s+true\\s+Job")
        .containsPattern("horizontalpodautoscalers\\s+hpa\\s+autoscaling/v2\\s+true")
        .containsPattern("ingresses\\s+ing\\s+networking.k8s.io/v1\\s+true\\s+Ingress")
        .containsPattern("poddisruptionbudgets\\s+pdb\\s+policy/v1\\s+true")
        .containsPattern("priorityclasses\\s+pc\\s+scheduling.k8s.io/v1\\s+false")
        .containsPattern("storageclasses\\s+sc\\s+storage.k8s.io/v1\\s+false")
        .containsPattern("persistentvolumeclaims\\s+pvc\\s+v1\\s+true")
        .containsPattern("replicationcontrollers\\s+rc\\s+v1\\s+true")
        .containsPattern("runtimeclasses\\s+node.k8s.io/v1\\s+false");
  }

  @Test
  void getPrintsUpstreamColumns() {
    assertThat(kubectl.run("get", "sts", "web").assertOk().stdout()).containsPattern("NAME\\s+READY\\s+AGE")
        .containsPattern("web\\s+0/[23]\\s+");
    assertThat(kubectl.run("get", "sts", "web", "-o", "wide").assertOk().stdout())
        .containsPattern("CONTAINERS\\s+IMAGES").containsPattern("nginx\\s+nginx:1.27");
    assertThat(kubectl.run("get", "ds", "agent").assertOk().stdout())
        .containsPattern("NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+NODE SELECTOR\\s+AGE")
        .containsPattern("agent\\s+0\\s+0\\s+0\\s+0\\s+0\\s+<none>");
    assertThat(kubectl.run("get", "job", "pi", "-o", "wide").assertOk().stdout())
        .containsPattern("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR")
        .containsPattern("pi\\s+Running\\s+0/1\\s+.*perl\\s+batch.kubernetes.io/controller-uid=");
    assertThat(kubectl.run("get", "cj").assertOk().stdout())
        .containsPattern("NAME\\s+SCHEDULE\\s+TIMEZONE\\s+SUSPEND\\s+ACTIVE\\s+LAST SCHEDULE\\s+AGE")
        .containsPattern("nightly\\s+0 3 \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>");
    assertThat(kubectl.run("get", "pdb").assertOk().stdout())
        .containsPattern("NAME\\s+MIN AVAILABLE\\s+MAX UNAVAILABLE\\s+ALLOWED DISRUPTIONS\\s+AGE")
        .containsPattern("web-pdb\\s+1\\s+N/A\\s+[01]");
    assertThat(kubectl.run("get", "ing").assertOk().stdout())
        .containsPattern("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE").containsPattern("site\\s+nginx\\s+example.com\\s+80");
    assertThat(kubectl.run("get", "pc").assertOk().stdout())
        .containsPattern("NAME\\s+VALUE\\s+GLOBAL-DEFAULT\\s+AGE\\s+PREEMPTIONPOLICY")
        .containsPattern("high\\s+1000\\s+false\\s+\\S+\\s+PreemptLowerPriority")
        .containsPattern("system-cluster-critical\\s+2000000000")
        .containsPattern("system-node-critical\\s+2000001000");
  }

  @Test
  void defaultsAreApplied() {
    assertThat(kubectl.run("get", "sts", "web", "-o", "jsonpath={.spec.podManagementPolicy} {.spec.updateStrategy.rollingUpdate.partition} {.metadata.generation}").assertOk().stdout())
        .isEqualTo("OrderedReady 0 1");
    assertThat(kubectl.run("get", "job", "pi", "-o", "jsonpath={.spec.backoffLimit} {.spec.completions} {.spec.completionMode}").assertOk().stdout())
        .isEqualTo("6 1 NonIndexed");
    assertThat(kubectl.run("get", "cj", "nightly", "-o", "jsonpath={.spec.concurrencyPolicy} {.spec.successfulJobsHistoryLimit} {.spec.failedJobsHistoryLimit}").assertOk().stdout())
        .isEqualTo("Allow 3 1");
  }

  @Test
  void invalidJobIsRejectedWithUpstreamMessage() throws Exception {
    Path file = dir.resolve("bad-job.yaml");
    Files.writeString(file, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: bad}
        spec:
          template:
            spec:
              restartPolicy: Always
              containers: [{name: c, image: busybox}]
        """);
    Kubectl.Result r = kubectl.run("apply", "-f", file.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("The Job \"bad\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
  }

  @Test
  void scaleStatefulSetAndFieldSelectJobs() {
    kubectl.run("scale", "sts", "web", "--replicas=3").assertOk();
    assertThat(kubectl.run("get", "sts", "web", "-o", "jsonpath={.spec.replicas} {.metadata.generation}").assertOk().stdout())
        .isEqualTo("3 2");
    assertThat(kubectl.run("get", "jobs", "--field-selector", "status.successful=0", "-o", "name").assertOk().stdout())
        .contains("job.batch/pi");
    assertThat(kubectl.run("get", "jobs", "--field-selector", "status.successful=1", "-o", "name").assertOk().stdout())
        .doesNotContain("job.batch/pi");
  }

  @Test
  void statusSubresourceOnlyChangesStatus() {
    kubectl.run("patch", "pdb", "web-pdb", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"disruptionsAllowed\":1,\"currentHealthy\":2,\"desiredHealthy\":1,\"expectedPods\":2},\"spec\":{\"minAvailable\":5}}").assertOk();
    assertThat(kubectl.run("get", "pdb", "web-pdb", "-o", "jsonpath={.spec.minAvailable} {.status.disruptionsAllowed}").assertOk().stdout())
        .isEqualTo("1 1");
  }

  @Test
  void storageCoreAndAutoscalingKinds() throws Exception {
    Path file = dir.resolve("more.yaml");
    Files.writeString(file, """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
        provisioner: example.com/fast
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv1}
        spec:
          capacity: {storage: 5Gi}
          accessModes: [ReadWriteOnce]
          storageClassName: fast
          hostPath: {path: /tmp/pv1}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: old}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: old}}
            spec: {containers: [{name: c, image: busybox}]}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}
          maxReplicas: 4
        ---
        apiVersion: node.k8s.io/v1
        kind: RuntimeClass
        metadata: {name: gvisor}
        handler: runsc
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: q}
        spec: {hard: {pods: "10"}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny}
        spec: {podSelector: {matchLabels: {app: web}}}
        """);
    kubectl.run("apply", "-f", file.toString()).assertOk();
    assertThat(kubectl.run("get", "sc").assertOk().stdout())
        .containsPattern("NAME\\s+PROVISIONER\\s+RECLAIMPOLICY\\s+VOLUMEBINDINGMODE\\s+ALLOWVOLUMEEXPANSION\\s+AGE")
        .containsPattern("fast \\(default\\)\\s+example.com/fast\\s+Delete\\s+Immediate\\s+false");
    assertThat(kubectl.run("get", "pv", "-o", "wide").assertOk().stdout())
        .containsPattern("NAME\\s+CAPACITY\\s+ACCESS MODES\\s+RECLAIM POLICY\\s+STATUS\\s+CLAIM\\s+STORAGECLASS\\s+VOLUMEATTRIBUTESCLASS\\s+REASON\\s+AGE\\s+VOLUMEMODE")
        .containsPattern("pv1\\s+5Gi\\s+RWO\\s+Retain\\s+Pending\\s+fast\\s+<unset>\\s+\\S+\\s+Filesystem");
    assertThat(kubectl.run("get", "pvc").assertOk().stdout())
        .containsPattern("NAME\\s+STATUS\\s+VOLUME\\s+CAPACITY\\s+ACCESS MODES\\s+STORAGECLASS\\s+VOLUMEATTRIBUTESCLASS\\s+AGE")
        .containsPattern("data\\s+Pending");
    assertThat(kubectl.run("get", "rc", "-o", "wide").assertOk().stdout())
        .containsPattern("NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR")
        .containsPattern("old\\s+2\\s+0\\s+0\\s+\\S+\\s+c\\s+busybox\\s+app=old");
    assertThat(kubectl.run("get", "rc", "--field-selector", "status.replicas=0", "-o", "name").assertOk().stdout())
        .contains("replicationcontroller/old");
    kubectl.run("scale", "rc", "old", "--replicas=1").assertOk();
    assertThat(kubectl.run("get", "rc", "old", "--subresource=scale", "-o", "jsonpath={.spec.replicas} {.status.selector}").assertOk().stdout())
        .isEqualTo("1 app=old");
    assertThat(kubectl.run("get", "hpa").assertOk().stdout())
        .containsPattern("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE")
        .containsPattern("web\\s+StatefulSet/web\\s+cpu: <unknown>/80%\\s+1\\s+4\\s+0");
    assertThat(kubectl.run("get", "runtimeclass").assertOk().stdout()).containsPattern("gvisor\\s+runsc");
    assertThat(kubectl.run("get", "quota").assertOk().stdout()).containsPattern("NAME\\s+AGE\\s+REQUEST\\s+LIMIT");
    assertThat(kubectl.run("get", "netpol", "deny", "-o", "jsonpath={.spec.policyTypes}").assertOk().stdout()).isEqualTo("[\"Ingress\"]");
  }
}
