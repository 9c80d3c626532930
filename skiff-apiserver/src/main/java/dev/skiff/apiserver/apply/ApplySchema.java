package dev.skiff.apiserver.apply;

import tools.jackson.databind.JsonNode;

/**
 * What apply needs to know about the type at one place in an object: how lists merge, which maps
 * are atomic, which keys are declared fields. Upstream takes this from the OpenAPI schema
 * ({@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-map-type}).
 * Implementations are immutable.
 */
public interface ApplySchema {
  /** The schema of field or map key {@code name} of this object. */
  ApplySchema field(String name);

  /** The schema of this list's items. */
  ApplySchema items();

  /** How this list merges; lists without a type are atomic. */
  ListType listType();

  /** Whether this object is owned as a whole rather than field by field. */
  boolean atomic();

  /**
   * Whether {@code name} is a declared field of this struct, rather than a key of a map: map keys
   * are owned as members in their own right, struct fields only through what they hold.
   */
  boolean declares(String name);

  /** The schema of built-in kinds, or of a custom resource with this {@code openAPIV3Schema} (null: built-in). */
  static ApplySchema of(JsonNode customResourceSchema) {
    return customResourceSchema == null ? BuiltInApplySchema.ROOT : new StructuralApplySchema(customResourceSchema, true);
  }
}
