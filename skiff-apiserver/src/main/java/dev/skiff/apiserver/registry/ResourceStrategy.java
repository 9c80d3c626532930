package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.HumanDuration;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What makes one resource different from another in the generic store, as upstream's
 * {@code RESTCreateStrategy}/{@code RESTUpdateStrategy} plus its table convertor: defaults,
 * validation, which fields a field selector may read, and the Table columns. Implementations are
 * stateless singletons; the store calls the hooks in a fixed order (prepare, validate) and never
 * concurrently on the same object.
 */
public interface ResourceStrategy {

  ResourceDefinition definition();

  /**
   * Sets defaults and clears what a create may not set (for example {@code status} of a resource
   * with a status subresource). Called after the generic metadata is set, before validation.
   */
  default void prepareForCreate(ObjectNode obj) {}

  /**
   * The resource's built-in mutating admission on create (upstream's admission plugins, such as a
   * pod's ServiceAccount, Priority and DefaultTolerationSeconds) and what upstream's strategy sets
   * after admission (a pod's status). Called after {@link #prepareForCreate}, after the writer's
   * managedFields entry is recorded and after the generic admission's mutation, before validation:
   * as upstream, a writer does not own what admission adds.
   */
  default void admitCreate(ObjectNode obj) {}

  /**
   * Makes an update keep what it may not change, from {@code old}. Called before validation; the
   * generic metadata (uid, creationTimestamp, ...) has already been carried over.
   */
  default void prepareForUpdate(ObjectNode obj, ObjectNode old) {}

  /** Every error in a new object, with its field path; the generic metadata is checked already. */
  List<FieldError> validate(ObjectNode obj);

  /** Every error in an update; by default the same checks as for a create. */
  default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return validate(obj);
  }

  /** Whether names must be DNS-1123 labels (namespaces, services) rather than subdomains. */
  default boolean nameIsLabel() {
    return false;
  }

  /**
   * Dotted paths of fields that must be maps of strings ({@code data}, {@code spec.selector}):
   * a value of another JSON type is a 400, as upstream's typed decoding makes it.
   */
  default List<String> stringMaps() {
    return List.of();
  }

  /**
   * Fields of a write's body that a resource without a built-in schema does not know, as upstream's
   * strict decoding names them, for the {@code fieldValidation} parameter: custom resources report
   * what their structural schema prunes. Built-in kinds are checked (and pruned) from the built-in
   * schema by the server itself.
   */
  default List<String> unknownFields(JsonNode body) {
    return List.of();
  }

  /** Where the scale subresource, if the resource has one, reads and writes replicas. */
  default ScalePaths scalePaths() {
    return ScalePaths.BUILT_IN;
  }

  /** Field-selector fields beyond {@code metadata.name} and {@code metadata.namespace}. */
  default Set<String> selectableFields() {
    return Set.of();
  }

  /** The value of one of {@link #selectableFields()} on {@code obj}. */
  default Optional<String> fieldValue(JsonNode obj, String field) {
    return Optional.empty();
  }

  /**
   * How many seconds a delete waits before the object goes (upstream's graceful deletion); 0
   * deletes at once. With more, the store only sets deletionTimestamp and
   * deletionGracePeriodSeconds, and whoever runs the object (the kubelet) deletes it later.
   *
   * @param requested the request's gracePeriodSeconds, or null when it gave none
   */
  default long gracePeriodSeconds(JsonNode obj, Long requested) {
    return 0;
  }

  /** Whether a delete returns the deleted object (true) or a success Status (false). */
  /**
   * Whether a terminating object whose metadata.finalizers are empty must still stay, because a
   * finalizer of the kind's own (a namespace's {@code spec.finalizers}) is pending. By default false.
   */
  default boolean holdsDeletion(JsonNode obj) {
    return false;
  }

  default boolean returnDeletedObject() {
    return false;
  }

  /** The Table columns; by default upstream's Name and Created At... here Name and Age. */
  default List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(), TableColumn.ageColumn());
  }

  /**
   * One Table row for {@code obj}, a cell per column: String, Integer or Long values.
   *
   * @param now the time ages are computed against
   */
  default List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), age(obj, now));
  }

  /** The Age cell as upstream's {@code translateTimestampSince}. */
  static String age(JsonNode obj, Instant now) {
    Instant created = ObjectMeta.creationTimestamp(obj);
    return created == null ? "<unknown>" : HumanDuration.format(Duration.between(created, now));
  }
}
