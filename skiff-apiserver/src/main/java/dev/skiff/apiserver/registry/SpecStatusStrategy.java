package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shape most upstream strategies share: defaults applied on create and update, a status that
 * only the status subresource writes (when the resource has one), and a {@code metadata.generation}
 * that starts at 1 and counts spec changes only. Subclasses give defaults, validation and columns.
 */
public abstract class SpecStatusStrategy implements ResourceStrategy {
  private final ResourceDefinition definition;

  protected SpecStatusStrategy(ResourceDefinition definition) {
    this.definition = Objects.requireNonNull(definition, "definition");
  }

  @Override
  public final ResourceDefinition definition() {
    return definition;
  }

  /** Whether status changes only through the status subresource. */
  protected final boolean hasStatus() {
    return definition.subresources().stream().anyMatch(s -> s.name().equals("status"));
  }

  /** Whether the object tracks spec changes in metadata.generation. */
  protected boolean countsGeneration() {
    return hasStatus();
  }

  /** Upstream's {@code SetDefaults_*} for the kind; called on create and update. */
  protected void defaults(ObjectNode obj) {}

  @Override
  public void prepareForCreate(ObjectNode obj) {
    if (hasStatus()) {
      obj.remove("status");
    }
    if (countsGeneration()) {
      ObjectMeta.of(obj).put("generation", 1);
    }
    defaults(obj);
  }

  /** Makes {@code obj}'s status the one {@code old} has (none when it has none). */
  public static void keepStatus(ObjectNode obj, ObjectNode old) {
    if (old.has("status")) {
      obj.set("status", old.get("status").deepCopy());
    } else {
      obj.remove("status");
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    if (hasStatus()) {
      keepStatus(obj, old);
    }
    defaults(obj);
    if (countsGeneration()) {
      long generation = old.path("metadata").path("generation").asLong(1);
      ObjectMeta.of(obj).put("generation", obj.path("spec").equals(old.path("spec")) ? generation : generation + 1);
    }
  }

  /** Checks that apply only to updates (immutable fields), beyond {@link #validate}. */
  protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
    return List.of();
  }

  @Override
  public final List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new java.util.ArrayList<>(validate(obj));
    errors.addAll(validateChange(obj, old));
    return errors;
  }
}
