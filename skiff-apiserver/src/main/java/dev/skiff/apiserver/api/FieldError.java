package dev.skiff.apiserver.api;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One validation failure at one field path, as upstream's {@code field.Error}. Validation returns
 * every one it finds; the server turns them into a single 422 Invalid status.
 *
 * @param type the kind of failure
 * @param field the field path, for example {@code metadata.name} or {@code data[bad key]}
 * @param badValue the offending value, or null when the type prints none
 * @param detail what is wrong, for a person
 */
public record FieldError(Type type, String field, JsonNode badValue, String detail) {
  public enum Type {
    REQUIRED("FieldValueRequired", "Required value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many");

    final String reason;
    final String text;

    Type(String reason, String text) {
      this.reason = reason;
      this.text = text;
    }

    public String reason() {
      return reason;
    }
  }

  public FieldError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(detail, "detail");
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(String field, String value, String detail) {
    return new FieldError(Type.INVALID, field, Json.nodes().stringNode(value), detail);
  }

  public static FieldError invalid(String field, JsonNode value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError notSupported(String field, String value, List<String> supported) {
    StringBuilder d = new StringBuilder("supported values: ");
    for (int i = 0; i < supported.size(); i++) {
      d.append(i == 0 ? "" : ", ").append('"').append(supported.get(i)).append('"');
    }
    return new FieldError(Type.NOT_SUPPORTED, field, Json.nodes().stringNode(value), d.toString());
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  public static FieldError duplicate(String field, String value) {
    return new FieldError(Type.DUPLICATE, field, Json.nodes().stringNode(value), "");
  }

  /** The message without the field path, as upstream's {@code ErrorBody}. */
  public String body() {
    StringBuilder s = new StringBuilder(type.text);
    switch (type) {
      case REQUIRED, FORBIDDEN, TOO_LONG -> {}
      default -> {
        s.append(": ");
        if (badValue == null || badValue.isNull()) {
          s.append("null");
        } else if (badValue.isString()) {
          s.append('"').append(badValue.stringValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
          s.append(Json.writeString(badValue));
        }
      }
    }
    if (!detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }
}
