package dev.skiff.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionTaintsTest {
  static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withEffect(effect).build();
  }

  static List<String> keys(List<Taint> taints) {
    return taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
  }

  @Test
  void pressureConditionsAndCordonAddNoScheduleTaints() {
    List<Taint> out = ConditionTaints.reconcileNoSchedule(List.of(taint("dedicated", "NoSchedule")),
        Set.of("Ready", "MemoryPressure", "PIDPressure"), true);
    assertThat(keys(out)).containsExactly("dedicated:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule",
        "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule");
  }

  @Test
  void taintsGoWhenTheirConditionDoesAndOthersStay() {
    List<Taint> current = List.of(taint("node.kubernetes.io/disk-pressure", "NoSchedule"),
        taint("node.kubernetes.io/unschedulable", "NoSchedule"),
        // same key, another effect: not this pass's taint
        taint("node.kubernetes.io/disk-pressure", "NoExecute"), taint("team", "PreferNoSchedule"));
    List<Taint> out = ConditionTaints.reconcileNoSchedule(current, Set.of("Ready"), false);
    assertThat(keys(out)).containsExactly("node.kubernetes.io/disk-pressure:NoExecute", "team:PreferNoSchedule");
    // unchanged when already right: the controller then writes nothing
    List<Taint> again = ConditionTaints.reconcileNoSchedule(out, Set.of("Ready"), false);
    assertThat(again).isEqualTo(out);
  }
}
