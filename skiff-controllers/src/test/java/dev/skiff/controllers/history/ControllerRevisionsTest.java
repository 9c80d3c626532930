package dev.skiff.controllers.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerRevisionsTest {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }

  static StatefulSet owner() {
    return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("u1").endMetadata().build();
  }

  @Test
  void revisionStoresAReplacePatchOfTheTemplateAndReadsItBack() {
    ControllerRevision r = ControllerRevisions.newRevision(owner(), Map.of("app", "web"),
        ControllerRevisions.templatePatch(template("busybox:1")), 1, 0);
    assertThat(JSON.asJson(r.getData())).contains("\"$patch\":\"replace\"");
    assertThat(ControllerRevisions.templateOf(r)).isEqualTo(template("busybox:1"));
    String hash = r.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL);
    assertThat(r.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(r.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(r.getMetadata().getOwnerReferences().getFirst().getController()).isTrue();
  }

  @Test
  void hashDependsOnTheTemplateAndTheCollisionCountOnly() {
    Object a = ControllerRevisions.templatePatch(template("busybox:1"));
    Object b = ControllerRevisions.templatePatch(template("busybox:2"));
    assertThat(ControllerRevisions.hash(a, 0)).isEqualTo(ControllerRevisions.hash(
        ControllerRevisions.templatePatch(template("busybox:1")), 0));
    assertThat(ControllerRevisions.hash(a, 0)).isNotEqualTo(ControllerRevisions.hash(b, 0));
    assertThat(ControllerRevisions.hash(a, 0)).isNotEqualTo(ControllerRevisions.hash(a, 1));
  }

  @Test
  void equalDataIgnoresHowTheDataWasParsed() {
    ControllerRevision built = ControllerRevisions.newRevision(owner(), null,
        ControllerRevisions.templatePatch(template("busybox:1")), 1, 0);
    ControllerRevision parsed = JSON.unmarshal(JSON.asJson(built), ControllerRevision.class);
    assertThat(ControllerRevisions.equalData(built, parsed)).isTrue();
  }

  @Test
  void nextRevisionIsOneMoreThanTheHighest() {
    var r1 = ControllerRevisions.newRevision(owner(), null, Map.of("x", 1), 4, 0);
    var r2 = ControllerRevisions.newRevision(owner(), null, Map.of("x", 2), 7, 0);
    assertThat(ControllerRevisions.nextRevision(List.of(r1, r2))).isEqualTo(8);
    assertThat(ControllerRevisions.nextRevision(List.of())).isEqualTo(1);
  }
}
