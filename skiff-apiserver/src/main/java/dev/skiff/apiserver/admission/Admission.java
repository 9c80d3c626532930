package dev.skiff.apiserver.admission;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * An admission plugin for creates (upstream's {@code admission.MutationInterface} and
 * {@code ValidationInterface}): {@link #mutate} runs before the strategy's defaults and validation
 * and may change the object; {@link #validate} (and {@link #validateUpdate}) run after them, just
 * before the write, and may
 * only refuse (or charge, as quota does). Either throws a {@code StatusError} to refuse.
 * Implementations are thread-safe.
 */
public interface Admission {
  /** No admission at all. */
  Admission NONE = new Admission() {};

  default void mutate(String namespace, ResourceDefinition def, ObjectNode obj) {}

  default void validate(String namespace, ResourceDefinition def, ObjectNode obj, boolean dryRun) {}

  /** As {@link #validate} for an update of {@code old} to {@code obj} (spec updates, not status). */
  default void validateUpdate(String namespace, ResourceDefinition def, ObjectNode obj, ObjectNode old, boolean dryRun) {}

  /** Runs {@code plugins} in order, as upstream's admission chain does. */
  static Admission chain(List<Admission> plugins) {
    List<Admission> all = List.copyOf(Objects.requireNonNull(plugins, "plugins"));
    return new Admission() {
      @Override
      public void mutate(String namespace, ResourceDefinition def, ObjectNode obj) {
        all.forEach(a -> a.mutate(namespace, def, obj));
      }

      @Override
      public void validate(String namespace, ResourceDefinition def, ObjectNode obj, boolean dryRun) {
        all.forEach(a -> a.validate(namespace, def, obj, dryRun));
      }

      @Override
      public void validateUpdate(String namespace, ResourceDefinition def, ObjectNode obj, ObjectNode old,
          boolean dryRun) {
        all.forEach(a -> a.validateUpdate(namespace, def, obj, old, dryRun));
      }
    };
  }
}
