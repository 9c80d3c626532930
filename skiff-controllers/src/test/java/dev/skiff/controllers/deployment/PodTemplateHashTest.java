package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  static PodTemplateSpec template(String image, Map<String, String> labels) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void safeEncodingUsesUpstreamsAlphabet() {
    // rand.SafeEncodeString maps byte b to alphanums[b % 27]: '0' (48) -> [21] = '4', '1'..'3' -> '5'..'7'
    assertThat(PodTemplateHash.safeEncode("0")).isEqualTo("4");
    assertThat(PodTemplateHash.safeEncode("123")).isEqualTo("567");
    assertThat(PodTemplateHash.compute(template("a", Map.of("app", "x")), null)).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
  }

  @Test
  void hashIsStableAndDependsOnTemplateAndCollisionCount() {
    String a = PodTemplateHash.compute(template("busybox:1", Map.of("app", "x", "tier", "web")), null);
    assertThat(PodTemplateHash.compute(template("busybox:1", Map.of("tier", "web", "app", "x")), null))
        .as("key order does not matter").isEqualTo(a);
    assertThat(PodTemplateHash.compute(template("busybox:2", Map.of("app", "x", "tier", "web")), null)).isNotEqualTo(a);
    assertThat(PodTemplateHash.compute(template("busybox:1", Map.of("app", "x", "tier", "web")), 1)).isNotEqualTo(a);
    assertThat(PodTemplateHash.compute(template("busybox:1", Map.of("app", "x", "tier", "web")), 0))
        .as("a collision count of 0 is still hashed, as upstream").isNotEqualTo(a);
  }

  @Test
  void equalityIgnoresOnlyTheHashLabel() {
    var plain = template("busybox:1", Map.of("app", "x"));
    var hashed = template("busybox:1", Map.of("app", "x", PodTemplateHash.LABEL, "abc"));
    assertThat(PodTemplateHash.equalIgnoreHash(plain, hashed)).isTrue();
    assertThat(PodTemplateHash.equalIgnoreHash(plain, template("busybox:2", Map.of("app", "x")))).isFalse();
    assertThat(PodTemplateHash.equalIgnoreHash(plain, template("busybox:1", Map.of("app", "y")))).isFalse();
  }
}
