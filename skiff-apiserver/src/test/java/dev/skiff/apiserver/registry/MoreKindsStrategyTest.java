package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.apps.DaemonSetStrategy;
import dev.skiff.apiserver.registry.apps.StatefulSetStrategy;
import dev.skiff.apiserver.registry.autoscaling.HorizontalPodAutoscalerStrategy;
import dev.skiff.apiserver.registry.batch.CronJobStrategy;
import dev.skiff.apiserver.registry.batch.JobStrategy;
import dev.skiff.apiserver.registry.core.PersistentVolumeClaimStrategy;
import dev.skiff.apiserver.registry.core.ReplicationControllerStrategy;
import dev.skiff.apiserver.registry.networking.IngressStrategy;
import dev.skiff.apiserver.registry.policy.PodDisruptionBudgetStrategy;
import dev.skiff.apiserver.registry.scheduling.PriorityClassStrategy;
import dev.skiff.apiserver.registry.storage.StorageClassStrategy;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Defaults and validation of the added built-in kinds, one case per rule. */
class MoreKindsStrategyTest {
  private static final String POD = "{\"metadata\":{\"labels\":{\"app\":\"a\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]%s}}";

  record Case(String name, ResourceStrategy strategy, String json, String expectedDefault, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    String sel = "\"selector\":{\"matchLabels\":{\"app\":\"a\"}},";
    return Stream.of(
        new Case("statefulset defaults", new StatefulSetStrategy(), "{\"spec\":{" + sel + "\"template\":" + POD.formatted("") + "}}",
            "/spec/podManagementPolicy=OrderedReady", List.of()),
        new Case("statefulset bad policy", new StatefulSetStrategy(), "{\"spec\":{" + sel + "\"podManagementPolicy\":\"Random\",\"template\":" + POD.formatted("") + "}}",
            "/spec/replicas=1", List.of("spec.podManagementPolicy: Unsupported value: \"Random\": supported values: \"OrderedReady\", \"Parallel\"")),
        new Case("daemonset defaults", new DaemonSetStrategy(), "{\"spec\":{" + sel + "\"template\":" + POD.formatted("") + "}}",
            "/spec/updateStrategy/rollingUpdate/maxUnavailable=1", List.of()),
        new Case("daemonset selector mismatch", new DaemonSetStrategy(), "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"b\"}},\"template\":" + POD.formatted("") + "}}",
            "/spec/revisionHistoryLimit=10", List.of("spec.template.metadata.labels: Invalid value: {\"app\":\"a\"}: `selector` does not match template `labels`")),
        new Case("job defaults", new JobStrategy(), "{\"metadata\":{\"name\":\"j\",\"uid\":\"u1\"},\"spec\":{\"template\":" + POD.formatted(",\"restartPolicy\":\"Never\"") + "}}",
            "/spec/backoffLimit=6", List.of()),
        new Case("job restartPolicy Always", new JobStrategy(), "{\"metadata\":{\"name\":\"j\",\"uid\":\"u1\"},\"spec\":{\"template\":" + POD.formatted(",\"restartPolicy\":\"Always\"") + "}}",
            "/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid=u1", List.of("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")),
        new Case("cronjob bad schedule", new CronJobStrategy(), "{\"spec\":{\"schedule\":\"61 * * * *\",\"jobTemplate\":{\"spec\":{\"template\":" + POD.formatted(",\"restartPolicy\":\"Never\"") + "}}}}",
            "/spec/concurrencyPolicy=Allow", List.of("spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61")),
        new Case("hpa max below min", new HorizontalPodAutoscalerStrategy(), "{\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"d\"},\"minReplicas\":3,\"maxReplicas\":2}}",
            "/spec/metrics/0/resource/target/averageUtilization=80", List.of("spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`")),
        new Case("pdb both set", new PodDisruptionBudgetStrategy(), "{\"spec\":{\"minAvailable\":1,\"maxUnavailable\":\"150%\"}}",
            "/spec/minAvailable=1", List.of("spec: Invalid value: {\"minAvailable\":1,\"maxUnavailable\":\"150%\"}: minAvailable and maxUnavailable cannot be both set",
                "spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%")),
        new Case("ingress bad path type", new IngressStrategy(), "{\"spec\":{\"rules\":[{\"http\":{\"paths\":[{\"path\":\"/\",\"pathType\":\"Glob\",\"backend\":{\"service\":{\"name\":\"s\",\"port\":{\"number\":80}}}}]}}]}}",
            "/spec/rules/0/http/paths/0/path=/", List.of("spec.rules[0].http.paths[0].pathType: Unsupported value: \"Glob\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"")),
        new Case("priorityclass reserved prefix", new PriorityClassStrategy(), "{\"metadata\":{\"name\":\"system-mine\"},\"value\":5}",
            "/preemptionPolicy=PreemptLowerPriority", List.of("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved")),
        new Case("priorityclass too high", new PriorityClassStrategy(), "{\"metadata\":{\"name\":\"big\"},\"value\":2000000000}",
            "/preemptionPolicy=PreemptLowerPriority", List.of("value: Forbidden: maximum allowed value of a user defined priority is 1000000000")),
        new Case("storageclass defaults", new StorageClassStrategy(), "{\"provisioner\":\"x.io/p\"}",
            "/volumeBindingMode=Immediate", List.of()),
        new Case("pvc without access modes", new PersistentVolumeClaimStrategy(), "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}",
            "/spec/volumeMode=Filesystem", List.of("spec.accessModes: Required value: at least 1 access mode is required")),
        new Case("rc selector from template", new ReplicationControllerStrategy(), "{\"spec\":{\"template\":" + POD.formatted("") + "}}",
            "/spec/selector/app=a", List.of()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void defaultsAndValidation(Case c) {
    ObjectNode obj = (ObjectNode) Json.parse(c.json().getBytes());
    c.strategy().prepareForCreate(obj);
    String[] expected = c.expectedDefault().split("=", 2);
    assertThat(obj.at(expected[0]).asString(obj.at(expected[0]).toString())).isEqualTo(expected[1]);
    assertThat(c.strategy().validate(obj).stream().map(FieldError::toString).toList())
        .containsExactlyInAnyOrderElementsOf(c.errors());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void generationCountsSpecChangesOnly(Case c) {
    if (!(c.strategy() instanceof SpecStatusStrategy) || !c.strategy().definition().subresources().stream()
        .anyMatch(s -> s.name().equals("status"))) {
      return;
    }
    ObjectNode old = (ObjectNode) Json.parse(c.json().getBytes());
    c.strategy().prepareForCreate(old);
    ObjectNode sameSpec = old.deepCopy();
    ObjectNode labelled = sameSpec.deepCopy();
    Json.objectAt(Json.objectAt(labelled, "metadata"), "labels").put("x", "y");
    c.strategy().prepareForUpdate(labelled, old);
    long oldGen = old.path("metadata").path("generation").asLong(0);
    assertThat(labelled.path("metadata").path("generation").asLong(0)).isEqualTo(oldGen);
    ObjectNode changed = old.deepCopy();
    Json.objectAt(changed, "spec").put("minReadySeconds", 7);
    c.strategy().prepareForUpdate(changed, old);
    if (oldGen > 0) {
      assertThat(changed.path("metadata").path("generation").asLong()).isEqualTo(oldGen + 1);
    }
  }
}
