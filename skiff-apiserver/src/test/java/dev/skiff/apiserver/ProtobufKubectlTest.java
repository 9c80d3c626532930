package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.testing.InProcessServer;
import dev.skiff.testkit.Kubectl;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * kubectl 1.32's {@code create} subcommands send their objects as protobuf; each must be accepted
 * and stored exactly as sent (read back with {@code get -o json}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProtobufKubectlTest {
  @TempDir static Path dir;
  static InProcessServer cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    cluster = InProcessServer.start(dir);
    kubectl = cluster.kubectl();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonNode get(String... what) {
    String[] args = new String[what.length + 3];
    args[0] = "get";
    System.arraycopy(what, 0, args, 1, what.length);
    args[what.length + 1] = "-o";
    args[what.length + 2] = "json";
    return Json.parse(kubectl.run(args).assertOk().stdout().getBytes());
  }

  @Test
  void createSendsProtobuf() {
    Kubectl.Result r = kubectl.run("create", "role", "probe", "--verb=get", "--resource=pods", "-v=9").assertOk();
    assertThat(r.stderr()).contains("application/vnd.kubernetes.protobuf");
  }

  @Test
  void rbacKinds() {
    kubectl.run("create", "role", "pod-reader", "--verb=get,list", "--resource=pods", "--resource-name=a").assertOk();
    JsonNode role = get("role", "pod-reader");
    assertThat(role.at("/rules/0/verbs").toString()).isEqualTo("[\"get\",\"list\"]");
    assertThat(role.at("/rules/0/resources/0").asString()).isEqualTo("pods");
    assertThat(role.at("/rules/0/resourceNames/0").asString()).isEqualTo("a");

    kubectl.run("create", "clusterrole", "health", "--verb=get", "--non-resource-url=/healthz").assertOk();
    assertThat(get("clusterrole", "health").at("/rules/0/nonResourceURLs/0").asString()).isEqualTo("/healthz");
    kubectl.run("create", "clusterrole", "agg", "--aggregation-rule=rbac.example.com/agg=true").assertOk();
    assertThat(get("clusterrole", "agg").at("/aggregationRule/clusterRoleSelectors/0/matchLabels/rbac.example.com~1agg").asString())
        .isEqualTo("true");

    kubectl.run("create", "rolebinding", "rb", "--role=pod-reader", "--user=alice", "--serviceaccount=default:sa").assertOk();
    JsonNode rb = get("rolebinding", "rb");
    assertThat(rb.at("/roleRef/kind").asString()).isEqualTo("Role");
    assertThat(rb.at("/roleRef/name").asString()).isEqualTo("pod-reader");
    assertThat(rb.at("/subjects").toString()).contains("\"alice\"", "\"ServiceAccount\"", "\"sa\"");

    kubectl.run("create", "clusterrolebinding", "crb", "--clusterrole=health", "--group=devs").assertOk();
    JsonNode crb = get("clusterrolebinding", "crb");
    assertThat(crb.at("/roleRef/kind").asString()).isEqualTo("ClusterRole");
    assertThat(crb.at("/subjects/0/kind").asString()).isEqualTo("Group");
    assertThat(crb.at("/subjects/0/name").asString()).isEqualTo("devs");
  }

  @Test
  void batchKinds() {
    kubectl.run("create", "job", "once", "--image=busybox", "--", "date", "-u").assertOk();
    JsonNode job = get("job", "once");
    assertThat(job.at("/spec/template/spec/containers/0/command").toString()).isEqualTo("[\"date\",\"-u\"]");
    assertThat(job.at("/spec/template/spec/restartPolicy").asString()).isEqualTo("Never");

    kubectl.run("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "--", "echo", "hi").assertOk();
    JsonNode cj = get("cronjob", "tick");
    assertThat(cj.at("/spec/schedule").asString()).isEqualTo("*/5 * * * *");
    assertThat(cj.at("/spec/jobTemplate/spec/template/spec/containers/0/command").toString()).isEqualTo("[\"echo\",\"hi\"]");
    assertThat(cj.at("/spec/jobTemplate/spec/template/spec/restartPolicy").asString()).isEqualTo("OnFailure");

    kubectl.run("create", "job", "manual", "--from=cronjob/tick").assertOk();
    JsonNode manual = get("job", "manual");
    assertThat(manual.at("/metadata/annotations/cronjob.kubernetes.io~1instantiate").asString()).isEqualTo("manual");
    assertThat(manual.at("/metadata/ownerReferences/0/kind").asString()).isEqualTo("CronJob");
    assertThat(manual.at("/spec/template/spec/containers/0/command").toString()).isEqualTo("[\"echo\",\"hi\"]");
  }

  @Test
  void policyQuotaAndPriority() {
    kubectl.run("create", "quota", "q", "--hard=pods=10,cpu=2").assertOk();
    JsonNode q = get("quota", "q");
    assertThat(q.at("/spec/hard/pods").asString()).isEqualTo("10");
    assertThat(q.at("/spec/hard/cpu").asString()).isEqualTo("2");
    kubectl.run("create", "quota", "best", "--hard=pods=5", "--scopes=BestEffort").assertOk();
    assertThat(get("quota", "best").at("/spec/scopes/0").asString()).isEqualTo("BestEffort");

    kubectl.run("create", "priorityclass", "urgent", "--value=1000", "--description=first", "--preemption-policy=Never").assertOk();
    JsonNode pc = get("priorityclass", "urgent");
    assertThat(pc.at("/value").asInt()).isEqualTo(1000);
    assertThat(pc.at("/description").asString()).isEqualTo("first");
    assertThat(pc.at("/preemptionPolicy").asString()).isEqualTo("Never");

    kubectl.run("create", "pdb", "min", "--selector=app=web", "--min-available=1").assertOk();
    JsonNode min = get("pdb", "min");
    assertThat(min.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(min.at("/spec/selector/matchLabels/app").asString()).isEqualTo("web");
    kubectl.run("create", "pdb", "max", "--selector=app=web", "--max-unavailable=25%").assertOk();
    assertThat(get("pdb", "max").at("/spec/maxUnavailable").asString()).isEqualTo("25%");
  }

  @Test
  void ingressWithTlsAndDefaultBackend() {
    kubectl.run("create", "ingress", "site", "--class=nginx", "--rule=foo.com/bar*=svc1:8080,tls=my-cert",
        "--rule=bar.com/=svc2:http", "--default-backend=defaultsvc:http").assertOk();
    JsonNode ing = get("ingress", "site");
    assertThat(ing.at("/spec/ingressClassName").asString()).isEqualTo("nginx");
    assertThat(ing.at("/spec/defaultBackend/service/name").asString()).isEqualTo("defaultsvc");
    assertThat(ing.at("/spec/defaultBackend/service/port/name").asString()).isEqualTo("http");
    assertThat(ing.at("/spec/tls/0/secretName").asString()).isEqualTo("my-cert");
    assertThat(ing.at("/spec/tls/0/hosts/0").asString()).isEqualTo("foo.com");
    assertThat(ing.at("/spec/rules/0/host").asString()).isEqualTo("foo.com");
    assertThat(ing.at("/spec/rules/0/http/paths/0/path").asString()).isEqualTo("/bar");
    assertThat(ing.at("/spec/rules/0/http/paths/0/pathType").asString()).isEqualTo("Prefix");
    assertThat(ing.at("/spec/rules/0/http/paths/0/backend/service/port/number").asInt()).isEqualTo(8080);
    assertThat(ing.at("/spec/rules/1/http/paths/0/backend/service/port/name").asString()).isEqualTo("http");
  }

  @Test
  void servicesAndSecrets() {
    kubectl.run("create", "service", "externalname", "ext", "--external-name=db.example.com").assertOk();
    JsonNode ext = get("service", "ext");
    assertThat(ext.at("/spec/type").asString()).isEqualTo("ExternalName");
    assertThat(ext.at("/spec/externalName").asString()).isEqualTo("db.example.com");
    kubectl.run("create", "service", "loadbalancer", "lb", "--tcp=80:8080").assertOk();
    JsonNode lb = get("service", "lb");
    assertThat(lb.at("/spec/type").asString()).isEqualTo("LoadBalancer");
    assertThat(lb.at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);

    kubectl.run("create", "secret", "docker-registry", "reg", "--docker-server=r.example", "--docker-username=u",
        "--docker-password=p").assertOk();
    JsonNode reg = get("secret", "reg");
    assertThat(reg.at("/type").asString()).isEqualTo("kubernetes.io/dockerconfigjson");
    assertThat(new String(java.util.Base64.getDecoder().decode(reg.at("/data/.dockerconfigjson").asString())))
        .contains("r.example");
  }

  @Test
  void tlsSecret() throws Exception {
    Path key = dir.resolve("tls.key");
    Path crt = dir.resolve("tls.crt");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", key.toString(), "-out", crt.toString(), "-days", "1", "-subj", "/CN=site.example")
        .redirectErrorStream(true).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    kubectl.run("create", "secret", "tls", "site-tls", "--cert=" + crt, "--key=" + key).assertOk();
    JsonNode tls = get("secret", "site-tls");
    assertThat(tls.at("/type").asString()).isEqualTo("kubernetes.io/tls");
    assertThat(java.util.Base64.getDecoder().decode(tls.at("/data/tls.crt").asString()))
        .isEqualTo(java.nio.file.Files.readAllBytes(crt));
  }

  @Test
  void deploymentAndExpose() {
    kubectl.run("create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=8080").assertOk();
    JsonNode dep = get("deployment", "web");
    assertThat(dep.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(dep.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
    kubectl.run("expose", "deployment", "web", "--port=80", "--target-port=8080", "--name=web-svc").assertOk();
    JsonNode svc = get("service", "web-svc");
    assertThat(svc.at("/spec/selector/app").asString()).isEqualTo("web");
    assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(80);
    assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
  }

  @Test
  void runWithOverridesKeepsVolumesProbesEnvAndSecurityContext() {
    String overrides = """
        {"spec": {"volumes": [{"name": "cfg", "configMap": {"name": "settings", "defaultMode": 420}}, {"name": "tmp", "emptyDir": {}}],
          "securityContext": {"runAsUser": 1000, "fsGroup": 2000},
          "containers": [{"name": "box", "image": "busybox", "command": ["sleep", "3600"],
            "env": [{"name": "MODE", "value": "test"}, {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
            "volumeMounts": [{"name": "cfg", "mountPath": "/etc/cfg", "readOnly": true}, {"name": "tmp", "mountPath": "/tmp"}],
            "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 7},
            "securityContext": {"runAsNonRoot": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]}}""";
    kubectl.run("run", "box", "--image=busybox", "--overrides=" + overrides).assertOk();
    JsonNode pod = get("pod", "box");
    assertThat(pod.at("/spec/volumes/0/configMap/name").asString()).isEqualTo("settings");
    assertThat(pod.at("/spec/volumes/1/emptyDir").isObject()).isTrue();
    assertThat(pod.at("/spec/securityContext/runAsUser").asInt()).isEqualTo(1000);
    assertThat(pod.at("/spec/securityContext/fsGroup").asInt()).isEqualTo(2000);
    JsonNode c = pod.at("/spec/containers/0");
    assertThat(c.at("/env/1/valueFrom/fieldRef/fieldPath").asString()).isEqualTo("metadata.name");
    assertThat(c.at("/volumeMounts/0/readOnly").asBoolean()).isTrue();
    assertThat(c.at("/readinessProbe/exec/command/0").asString()).isEqualTo("true");
    assertThat(c.at("/readinessProbe/periodSeconds").asInt()).isEqualTo(7);
    assertThat(c.at("/securityContext/allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(c.at("/securityContext/capabilities/drop/0").asString()).isEqualTo("ALL");
  }
}
