package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AncientChangesTest {
  private static ManagedFieldsEntry update(String manager, int minute) {
    return new ManagedFieldsEntry(manager, ManagedFieldsEntry.Operation.UPDATE, "v1",
        "2026-11-27T02:%02d:00Z".formatted(minute), FieldSet.of(List.of(FieldPath.of("data", manager))), "");
  }

  @Test
  void theOldestUpdatesMergeIntoAncientChanges() {
    List<ManagedFieldsEntry> entries = new ArrayList<>();
    entries.add(new ManagedFieldsEntry("applier", ManagedFieldsEntry.Operation.APPLY, "v1", "2026-11-27T01:00:00Z",
        FieldSet.of(List.of(FieldPath.of("data", "x"))), ""));
    for (int i = 0; i < 12; i++) {
      entries.add(update("m" + i, 10 + i));
    }
    List<ManagedFieldsEntry> capped = AncientChanges.cap(entries);
    assertThat(capped.stream().filter(e -> e.operation() == ManagedFieldsEntry.Operation.UPDATE)).hasSize(10);
    ManagedFieldsEntry ancient = capped.stream().filter(e -> e.manager().equals("ancient-changes")).findFirst()
        .orElseThrow();
    assertThat(ancient.fields().paths()).containsExactlyInAnyOrder(FieldPath.of("data", "m0"),
        FieldPath.of("data", "m1"), FieldPath.of("data", "m2"));
    assertThat(ancient.time()).isEqualTo("2026-11-27T02:12:00Z");
    assertThat(capped).anyMatch(e -> e.manager().equals("applier"));
    // capping again merges into the same bucket rather than making a second one
    List<ManagedFieldsEntry> more = new ArrayList<>(capped);
    more.add(update("late", 40));
    List<ManagedFieldsEntry> again = AncientChanges.cap(more);
    assertThat(again.stream().filter(e -> e.manager().equals("ancient-changes"))).hasSize(1);
    assertThat(again.stream().filter(e -> e.operation() == ManagedFieldsEntry.Operation.UPDATE)).hasSize(10);
    assertThat(AncientChanges.cap(entries.subList(0, 5))).isEqualTo(entries.subList(0, 5));
  }
}
