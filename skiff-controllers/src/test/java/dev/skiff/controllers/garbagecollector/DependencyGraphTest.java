package dev.skiff.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which uids the graph hands to the delete and orphan queues for each kind of event. */
class DependencyGraphTest {
  static GenericKubernetesResource obj(String uid, String owner, boolean deleting, String... finalizers) {
    var meta = new ObjectMetaBuilder().withName("n-" + uid).withNamespace("ns").withUid(uid).withFinalizers(finalizers);
    if (owner != null) {
      meta.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
          .withName("n-" + owner).withUid(owner).withBlockOwnerDeletion(true).build());
    }
    if (deleting) {
      meta.withDeletionTimestamp("2026-01-01T00:00:00Z");
    }
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("v1");
    r.setKind("ConfigMap");
    r.setMetadata(meta.build());
    return r;
  }

  @Test
  void unseenOwnerBecomesAVirtualNodeToVerify() {
    DependencyGraph g = new DependencyGraph();
    var work = g.observe(obj("child", "parent", false));
    assertThat(work.toDelete()).contains("parent", "child");
    assertThat(g.item("parent").orElseThrow().virtual()).isTrue();
    g.observe(obj("parent", null, false));
    assertThat(g.item("parent").orElseThrow().virtual()).isFalse();
  }

  @Test
  void deletedOwnerSendsItsDependentsToBeChecked() {
    DependencyGraph g = new DependencyGraph();
    g.observe(obj("parent", null, false));
    g.observe(obj("child", "parent", false));
    assertThat(g.forget("parent").toDelete()).containsExactly("child");
    assertThat(g.dependents("parent")).extracting(d -> d.item().uid()).containsExactly("child");
    g.forget("child");
    assertThat(g.item("parent")).as("the virtual owner goes with its last dependent").isEmpty();
  }

  @Test
  void finalizersRouteToForegroundAndOrphanWork() {
    DependencyGraph g = new DependencyGraph();
    g.observe(obj("parent", null, false));
    g.observe(obj("child", "parent", false));
    var foreground = g.observe(obj("parent", null, true, "foregroundDeletion"));
    assertThat(foreground.toDelete()).contains("child", "parent");
    assertThat(g.item("parent").orElseThrow().deletingDependents()).isTrue();
    assertThat(g.dependents("parent")).singleElement().matches(DependencyGraph.Dependent::blocksOwnerDeletion);
    assertThat(g.forget("child").toDelete()).as("the waiting owner is looked at again").containsExactly("parent");

    DependencyGraph h = new DependencyGraph();
    h.observe(obj("p", null, false));
    assertThat(h.observe(obj("p", null, true, "orphan")).toOrphan()).isEqualTo(List.of("p"));
  }
}
