package dev.skiff.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpecBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodUsageTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  private static Container container(String name, Map<String, String> requests, Map<String, String> limits) {
    return new ContainerBuilder().withName(name).withImage("busybox").withNewResources()
        .withRequests(quantities(requests)).withLimits(quantities(limits)).endResources().build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> m) {
    java.util.Map<String, Quantity> q = new java.util.TreeMap<>();
    m.forEach((k, v) -> q.put(k, new Quantity(v)));
    return q;
  }

  private static Pod pod(List<Container> containers, List<Container> init) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
        .withNewSpec().withContainers(containers).withInitContainers(init).endSpec().build();
  }

  @Test
  void sumsContainersAndTakesTheLargestInitContainer() {
    Pod p = pod(List.of(container("a", Map.of("cpu", "250m", "memory", "64Mi"), Map.of("cpu", "500m")),
            container("b", Map.of("cpu", "250m", "memory", "64Mi", "example.com/gpu", "1"), Map.of("cpu", "1"))),
        List.of(container("init", Map.of("cpu", "2"), Map.of())));
    assertThat(PodUsage.of(p, NOW).toString()).isEqualTo(
        "count/pods=1,cpu=2,limits.cpu=1500m,memory=128Mi,pods=1,requests.cpu=2,requests.example.com/gpu=1,"
            + "requests.memory=128Mi");
  }

  @Test
  void terminalAndExpiredPodsChargeNothing() {
    Pod done = pod(List.of(container("a", Map.of(), Map.of())), List.of());
    done.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded").build());
    assertThat(PodUsage.of(done, NOW).isEmpty()).isTrue();
    Pod deleting = pod(List.of(container("a", Map.of(), Map.of())), List.of());
    deleting.getMetadata().setDeletionTimestamp("2026-11-27T02:59:00Z");
    deleting.getMetadata().setDeletionGracePeriodSeconds(30L);
    assertThat(PodUsage.of(deleting, NOW).isEmpty()).isTrue();
    deleting.getMetadata().setDeletionGracePeriodSeconds(300L);
    assertThat(PodUsage.of(deleting, NOW).toString()).isEqualTo("count/pods=1,pods=1");
  }

  @Test
  void namesContainersThatDoNotStateAConstrainedResource() {
    Pod p = pod(List.of(container("a", Map.of("cpu", "1"), Map.of()), container("b", Map.of(), Map.of("cpu", "1"))),
        List.of());
    assertThat(PodUsage.missing(Set.of("limits.cpu", "requests.cpu", "pods"), p))
        .isEqualTo("must specify limits.cpu for: a; requests.cpu for: b");
    assertThat(PodUsage.missing(Set.of("pods", "requests.storage"), p)).isNull();
  }

  @Test
  void scopesSelectPods() {
    Pod bestEffort = pod(List.of(container("a", Map.of(), Map.of())), List.of());
    Pod burstable = pod(List.of(container("a", Map.of("memory", "1Mi"), Map.of())), List.of());
    burstable.getSpec().setActiveDeadlineSeconds(30L);
    burstable.getSpec().setPriorityClassName("high");
    ResourceQuotaSpec be = new ResourceQuotaSpecBuilder().withScopes("BestEffort").build();
    ResourceQuotaSpec terminatingHigh = new ResourceQuotaSpecBuilder().withScopes("Terminating").withNewScopeSelector()
        .addNewMatchExpression().withScopeName("PriorityClass").withOperator("In").withValues("high").endMatchExpression()
        .endScopeSelector().build();
    assertThat(QuotaScopes.matches(be, bestEffort)).isTrue();
    assertThat(QuotaScopes.matches(be, burstable)).isFalse();
    assertThat(QuotaScopes.matches(terminatingHigh, burstable)).isTrue();
    assertThat(QuotaScopes.matches(terminatingHigh, bestEffort)).isFalse();
    assertThat(ObjectUsage.covers(be, new io.fabric8.kubernetes.api.model.ConfigMap())).isFalse();
  }
}
