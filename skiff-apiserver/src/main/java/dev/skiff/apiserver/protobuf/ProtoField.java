package dev.skiff.apiserver.protobuf;

import java.util.Objects;

/**
 * One field of a Kubernetes protobuf message: its number on the wire, its JSON name, and how its
 * value turns into JSON.
 *
 * @param number the field number
 * @param name the JSON field name (go-to-protobuf uses the JSON names), or {@code "-"} for a Go
 *     struct embedded without a JSON name, whose fields are merged into the enclosing object
 * @param type the wire-to-JSON conversion
 * @param message for {@link Type#MESSAGE} and {@link Type#MAP_MESSAGE}, the message type's name
 * @param repeated whether the field is a list
 * @param omitZero whether a zero or false value means "not set" (a Go field with omitempty that
 *     is not a pointer: Go's protobuf encoder writes it anyway, its JSON encoder leaves it out)
 * @param keepEmpty for a string, whether an empty value is kept (a Go {@code *string}, written only
 *     when set); other strings are written even when empty, so there "" means unset
 */
public record ProtoField(int number, String name, Type type, String message, boolean repeated, boolean omitZero,
    boolean keepEmpty) {
  /** How a field's wire value becomes JSON. */
  public enum Type {
    STRING,
    /** bytes, written as base64 as Go's JSON does for []byte */
    BYTES,
    INT32,
    INT64,
    BOOL,
    DOUBLE,
    MESSAGE,
    MAP_STRING,
    MAP_BYTES,
    MAP_MESSAGE
  }

  public ProtoField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** Whether this field is an embedded struct whose fields appear in the enclosing JSON object. */
  public boolean inline() {
    return name.equals("-");
  }
}
