package dev.skiff.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.kubelet.cri.PodSandboxSpec.DnsSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodDnsTest {

  record Case(String name, Pod pod, DnsSettings expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<String> CLUSTER_SEARCHES = List.of("ns1.svc.cluster.local", "svc.cluster.local",
      "cluster.local");

  static Stream<Case> cases() {
    return Stream.of(
        new Case("default policy is ClusterFirst", pod(null, false, null),
            new DnsSettings(List.of("10.43.0.10"), CLUSTER_SEARCHES, List.of("ndots:5"))),
        new Case("hostNetwork with ClusterFirst uses the node's", pod("ClusterFirst", true, null),
            DnsSettings.NODE_DEFAULT),
        new Case("ClusterFirstWithHostNet", pod("ClusterFirstWithHostNet", true, null),
            new DnsSettings(List.of("10.43.0.10"), CLUSTER_SEARCHES, List.of("ndots:5"))),
        new Case("Default is the node's", pod("Default", false, null), DnsSettings.NODE_DEFAULT),
        new Case("None takes dnsConfig only", pod("None", false, new PodDNSConfigBuilder()
            .withNameservers("1.2.3.4").withSearches("example.test").addNewOption().withName("edns0").endOption()
            .build()), new DnsSettings(List.of("1.2.3.4"), List.of("example.test"), List.of("edns0"))),
        new Case("dnsConfig merges into ClusterFirst", pod("ClusterFirst", false, new PodDNSConfigBuilder()
            .withSearches("extra.test").addNewOption().withName("ndots").withValue("2").endOption().build()),
            new DnsSettings(List.of("10.43.0.10"), List.of("ns1.svc.cluster.local", "svc.cluster.local",
                "cluster.local", "extra.test"), List.of("ndots:2"))));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void podDnsFollowsThePolicy(Case c) {
    assertThat(PodDns.settings(c.pod())).isEqualTo(c.expected());
  }

  private static Pod pod(String policy, boolean hostNetwork, io.fabric8.kubernetes.api.model.PodDNSConfig config) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns1").endMetadata()
        .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).withDnsConfig(config).endSpec().build();
  }
}
