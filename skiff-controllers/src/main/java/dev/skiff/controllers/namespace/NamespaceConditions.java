package dev.skiff.controllers.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The conditions a terminating namespace carries, with upstream's types, reasons and messages
 * ({@code pkg/controller/namespace/deletion/status_condition_utils.go}). A condition's
 * lastTransitionTime changes only when its status does.
 */
final class NamespaceConditions {
  static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
  static final String PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
  static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
  static final String CONTENT_REMAINING = "NamespaceContentRemaining";
  static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

  private NamespaceConditions() {}

  /** The five conditions of one deletion pass (group versions come parsed from discovery: never a failure). */
  static List<NamespaceCondition> of(NamespacedResources discovered, ContentDeletion.Outcome outcome) {
    List<NamespaceCondition> out = new ArrayList<>();
    out.add(discovered.failedGroupVersions().isEmpty()
        ? condition(DISCOVERY_FAILURE, false, "ResourcesDiscovered", "All resources successfully discovered")
        : condition(DISCOVERY_FAILURE, true, "DiscoveryFailed",
            "Discovery failed for some groups: " + discovered.failedGroupVersions()));
    out.add(condition(PARSING_FAILURE, false, "ParsedGroupVersions", "All legacy kube types successfully parsed"));
    out.add(outcome.failures().isEmpty()
        ? condition(CONTENT_FAILURE, false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
        : condition(CONTENT_FAILURE, true, "ContentDeletionFailed",
            "Failed to delete all resource types, " + outcome.failures().size() + " remaining: "
                + String.join(", ", outcome.failures())));
    out.add(outcome.remaining().isEmpty()
        ? condition(CONTENT_REMAINING, false, "ContentRemoved", "All content successfully removed")
        : condition(CONTENT_REMAINING, true, "SomeResourcesRemain",
            "Some resources are remaining: " + counts(outcome.remaining(), "has %d resource instances")));
    out.add(outcome.finalizers().isEmpty()
        ? condition(FINALIZERS_REMAINING, false, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
        : condition(FINALIZERS_REMAINING, true, "SomeFinalizersRemain",
            "Some content in the namespace has finalizers remaining: "
                + counts(outcome.finalizers(), "in %d resource instances")));
    return out;
  }

  private static String counts(Map<String, Integer> counts, String format) {
    return counts.entrySet().stream().map(e -> e.getKey() + " " + format.formatted(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static NamespaceCondition condition(String type, boolean status, String reason, String message) {
    return new NamespaceConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withMessage(message).build();
  }

  /**
   * {@code wanted} merged over {@code current}: unchanged conditions keep their transition time,
   * changed ones get {@code now}. Returns null when nothing would change.
   */
  static List<NamespaceCondition> merge(List<NamespaceCondition> current, List<NamespaceCondition> wanted, Instant now) {
    List<NamespaceCondition> merged = new ArrayList<>();
    boolean changed = false;
    for (NamespaceCondition w : wanted) {
      NamespaceCondition old = current.stream().filter(c -> w.getType().equals(c.getType())).findFirst().orElse(null);
      boolean same = old != null && Objects.equals(old.getStatus(), w.getStatus())
          && Objects.equals(old.getReason(), w.getReason()) && Objects.equals(old.getMessage(), w.getMessage());
      changed |= !same;
      String time = old != null && Objects.equals(old.getStatus(), w.getStatus()) && old.getLastTransitionTime() != null
          ? old.getLastTransitionTime()
          : DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
      merged.add(new NamespaceConditionBuilder(w).withLastTransitionTime(time).build());
    }
    current.stream().filter(c -> wanted.stream().noneMatch(w -> w.getType().equals(c.getType()))).forEach(merged::add);
    return changed ? merged : null;
  }
}
