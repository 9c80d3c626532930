package dev.skiff.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicePlanTest {
  static final SliceShape HTTP = new SliceShape("IPv4",
      List.of(new EndpointPortBuilder().withName("http").withPort(8080).withProtocol("TCP").build()));
  static final EndpointSlice TEMPLATE = new EndpointSliceBuilder().withNewMetadata().withGenerateName("web-")
      .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata().build();

  static List<Endpoint> endpoints(int count) {
    return IntStream.range(0, count).mapToObj(i -> new EndpointBuilder()
        .withAddresses("10.42.%d.%d".formatted(i / 200, i % 200 + 1)).build()).toList();
  }

  /** The created slices, named as the server would, so that a second plan sees them as existing. */
  static List<EndpointSlice> created(SlicePlan plan) {
    List<EndpointSlice> out = new ArrayList<>();
    for (int i = 0; i < plan.create().size(); i++) {
      out.add(new EndpointSliceBuilder(plan.create().get(i)).editMetadata().withName("web-" + i).endMetadata().build());
    }
    return out;
  }

  @Test
  void cutsIntoSlicesOfAtMostTheLimitAndWritesNothingWhenUnchanged() {
    SlicePlan first = SlicePlan.of(Map.of(HTTP, endpoints(250)), List.of(), TEMPLATE, 100);
    assertThat(first.create()).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);
    assertThat(first.create()).allSatisfy(s -> {
      assertThat(s.getAddressType()).isEqualTo("IPv4");
      assertThat(s.getPorts()).isEqualTo(HTTP.ports());
      assertThat(s.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web");
    });
    List<EndpointSlice> existing = created(first);
    SlicePlan again = SlicePlan.of(Map.of(HTTP, endpoints(250)), existing, TEMPLATE, 100);
    assertThat(again.create()).isEmpty();
    assertThat(again.update()).isEmpty();
    assertThat(again.delete()).isEmpty();

    SlicePlan shrink = SlicePlan.of(Map.of(HTTP, endpoints(120)), existing, TEMPLATE, 100);
    assertThat(shrink.create()).isEmpty();
    assertThat(shrink.update()).extracting(s -> s.getMetadata().getName()).containsExactly("web-1");
    assertThat(shrink.update().getFirst().getEndpoints()).hasSize(20);
    assertThat(shrink.delete()).extracting(s -> s.getMetadata().getName()).containsExactly("web-2");
  }

  @Test
  void aShapeNoLongerWantedLosesItsSlices() {
    List<EndpointSlice> existing = created(SlicePlan.of(Map.of(HTTP, endpoints(3)), List.of(), TEMPLATE, 100));
    SliceShape other = new SliceShape("IPv4",
        List.of(new EndpointPortBuilder().withName("http").withPort(9090).withProtocol("TCP").build()));
    SlicePlan plan = SlicePlan.of(Map.of(other, endpoints(3)), existing, TEMPLATE, 100);
    assertThat(plan.create()).hasSize(1);
    assertThat(plan.create().getFirst().getPorts().getFirst().getPort()).isEqualTo(9090);
    assertThat(plan.delete()).extracting(s -> s.getMetadata().getName()).containsExactly("web-0");
  }
}
