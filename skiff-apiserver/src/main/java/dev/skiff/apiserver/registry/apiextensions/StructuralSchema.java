package dev.skiff.apiserver.registry.apiextensions;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CRD version's OpenAPI v3 schema as upstream's apiextensions-apiserver uses it: checked to be
 * structural when the CRD is stored ({@link #check}), then, for each custom resource, defaults
 * applied, unknown fields pruned, and the value validated (types, required, enum, bounds, lengths,
 * patterns, item counts) with upstream's messages. Immutable and thread-safe.
 *
 * @param root the {@code openAPIV3Schema}
 */
public record StructuralSchema(JsonNode root) {
  private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean");
  /** Fields the server owns at the root of every custom resource, never pruned or checked by the schema. */
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  public StructuralSchema {
    Objects.requireNonNull(root, "root");
  }

  /** Every structural-schema error in {@code schema}, with paths under {@code path}. */
  static List<FieldError> check(JsonNode schema, String path) {
    List<FieldError> errors = new ArrayList<>();
    String type = schema.path("type").asString("");
    if (type.isEmpty()) {
      errors.add(FieldError.required(path + ".type", "must not be empty at the root"));
    } else if (!type.equals("object")) {
      errors.add(FieldError.invalid(path + ".type", type, "must be object at the root"));
    }
    checkNode(schema, path, errors);
    return errors;
  }

  private static void checkNode(JsonNode schema, String path, List<FieldError> errors) {
    String type = schema.path("type").asString("");
    if (!type.isEmpty() && !TYPES.contains(type)) {
      errors.add(FieldError.notSupported(path + ".type", type, List.of("array", "boolean", "integer", "number", "object", "string")));
    }
    String pattern = schema.path("pattern").asString("");
    if (!pattern.isEmpty()) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        errors.add(FieldError.invalid(path + ".pattern", pattern, "must be a valid regular expression, but isn't: " + e.getDescription()));
      }
    }
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      String at = path + ".properties[" + p.getKey() + "]";
      JsonNode child = p.getValue();
      if (child.path("type").asString("").isEmpty() && !child.path("x-kubernetes-int-or-string").asBoolean(false)
          && !child.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        errors.add(FieldError.required(at + ".type", "must not be empty for specified object fields"));
      }
      checkNode(child, at, errors);
    }
    if (type.equals("array")) {
      if (!schema.has("items")) {
        errors.add(FieldError.required(path + ".items", "must be specified"));
      } else {
        JsonNode items = schema.path("items");
        if (items.path("type").asString("").isEmpty() && !items.path("x-kubernetes-int-or-string").asBoolean(false)
            && !items.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
          errors.add(FieldError.required(path + ".items.type", "must not be empty for specified array items"));
        }
        checkNode(items, path + ".items", errors);
      }
    }
    if (schema.path("additionalProperties").isObject()) {
      if (schema.has("properties")) {
        errors.add(FieldError.forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
      }
      checkNode(schema.path("additionalProperties"), path + ".additionalProperties", errors);
    }
  }

  /** Sets the schema's defaults where {@code obj} has no value, as upstream does on decoding. */
  public void applyDefaults(JsonNode obj) {
    defaults(root, obj);
  }

  private static void defaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        if ((!o.has(p.getKey()) || o.get(p.getKey()).isNull() && !p.getValue().path("nullable").asBoolean(false))
            && p.getValue().has("default")) {
          o.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (o.has(p.getKey())) {
          defaults(p.getValue(), o.get(p.getKey()));
        }
      }
      if (schema.path("additionalProperties").isObject()) {
        o.properties().forEach(e -> defaults(schema.path("additionalProperties"), e.getValue()));
      }
    } else if (value instanceof ArrayNode a && schema.has("items")) {
      a.forEach(item -> defaults(schema.path("items"), item));
    }
  }

  /** Drops the fields the schema does not know, unless it preserves unknown fields there. */
  public void prune(ObjectNode obj) {
    unknown(root, obj, "", true, new ArrayList<>(), true);
  }

  /** The paths of the fields that {@link #prune} would drop, as upstream's strict decoding names them. */
  public List<String> unknownFields(JsonNode obj) {
    List<String> out = new ArrayList<>();
    unknown(root, obj, "", true, out, false);
    return out;
  }

  private static void unknown(JsonNode schema, JsonNode value, String path, boolean atRoot, List<String> found,
      boolean remove) {
    if (value instanceof ObjectNode o) {
      JsonNode props = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      for (String key : List.copyOf(o.propertyNames())) {
        if (atRoot && ROOT_FIELDS.contains(key)) {
          continue;
        }
        if (props.has(key)) {
          unknown(props.get(key), o.get(key), child(path, key), false, found, remove);
        } else if (additional.isObject()) {
          unknown(additional, o.get(key), child(path, key), false, found, remove);
        } else if (!preserve && !additional.asBoolean(false)) {
          found.add(child(path, key));
          if (remove) {
            o.remove(key);
          }
        }
      }
    } else if (value instanceof ArrayNode a && schema.has("items")) {
      for (int i = 0; i < a.size(); i++) {
        unknown(schema.path("items"), a.get(i), path + "[" + i + "]", false, found, remove);
      }
    }
  }

  /** Every error of {@code obj} against the schema, the root fields the server owns left out. */
  public List<FieldError> validate(JsonNode obj) {
    List<FieldError> errors = new ArrayList<>();
    validate(root, obj, "", errors, true);
    return errors;
  }

  private static void validate(JsonNode schema, JsonNode value, String path, List<FieldError> errors, boolean atRoot) {
    String type = schema.path("type").asString("");
    boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && !type.isEmpty()) {
        errors.add(FieldError.invalid(path, "null", path + " in body must be of type " + type + ": \"null\""));
      }
      return;
    }
    if (intOrString) {
      if (!value.isIntegralNumber() && !value.isString()) {
        errors.add(FieldError.invalid(path, typeName(value), path + " in body must be of type integer-or-string: \"" + typeName(value) + "\""));
        return;
      }
    } else if (!type.isEmpty() && !hasType(value, type)) {
      errors.add(FieldError.invalid(path, typeName(value), path + " in body must be of type " + type + ": \"" + typeName(value) + "\""));
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      List<String> allowed = new ArrayList<>();
      for (JsonNode e : schema.path("enum")) {
        found |= e.equals(value);
        allowed.add(e.isString() ? e.asString() : Json.writeString(e));
      }
      if (!found) {
        errors.add(value.isString() ? FieldError.notSupported(path, value.asString(), allowed)
            : new FieldError(FieldError.Type.NOT_SUPPORTED, path, value, "supported values: "
                + String.join(", ", allowed.stream().map(s -> "\"" + s + "\"").toList())));
      }
    }
    if (value.isNumber()) {
      numberBounds(schema, value, path, errors);
    }
    if (value.isString()) {
      stringBounds(schema, value.asString(), path, errors);
    }
    if (value instanceof ArrayNode a) {
      if (schema.has("minItems") && a.size() < schema.path("minItems").asInt()) {
        errors.add(FieldError.invalid(path, Json.nodes().numberNode(a.size()), path + " in body should have at least " + schema.path("minItems").asInt() + " items"));
      }
      if (schema.has("maxItems") && a.size() > schema.path("maxItems").asInt()) {
        errors.add(new FieldError(FieldError.Type.TOO_LONG, path, null, "must have at most " + schema.path("maxItems").asInt() + " items"));
      }
      for (int i = 0; i < a.size(); i++) {
        validate(schema.path("items"), a.get(i), path + "[" + i + "]", errors, false);
      }
    }
    if (value instanceof ObjectNode o) {
      for (JsonNode r : schema.path("required")) {
        String name = r.asString("");
        if (!o.has(name) && !(atRoot && ROOT_FIELDS.contains(name))) {
          errors.add(FieldError.required(child(path, name), ""));
        }
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (atRoot && ROOT_FIELDS.contains(e.getKey())) {
          continue;
        }
        JsonNode childSchema = schema.path("properties").path(e.getKey());
        if (childSchema.isMissingNode() && schema.path("additionalProperties").isObject()) {
          childSchema = schema.path("additionalProperties");
        }
        if (!childSchema.isMissingNode()) {
          validate(childSchema, e.getValue(), child(path, e.getKey()), errors, false);
        }
      }
    }
  }

  private static void numberBounds(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    double v = value.asDouble();
    if (schema.has("minimum")) {
      double min = schema.path("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? v <= min : v < min) {
        errors.add(FieldError.invalid(path, value, path + " in body should be greater than " + (exclusive ? "" : "or equal to ") + number(schema.path("minimum"))));
      }
    }
    if (schema.has("maximum")) {
      double max = schema.path("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? v >= max : v > max) {
        errors.add(FieldError.invalid(path, value, path + " in body should be less than " + (exclusive ? "" : "or equal to ") + number(schema.path("maximum"))));
      }
    }
    if (schema.has("multipleOf") && schema.path("multipleOf").asDouble() != 0
        && Math.abs(Math.IEEEremainder(v, schema.path("multipleOf").asDouble())) > 1e-9) {
      errors.add(FieldError.invalid(path, value, path + " in body should be a multiple of " + number(schema.path("multipleOf"))));
    }
  }

  private static void stringBounds(JsonNode schema, String s, String path, List<FieldError> errors) {
    int length = s.codePointCount(0, s.length());
    if (schema.has("maxLength") && length > schema.path("maxLength").asInt()) {
      errors.add(new FieldError(FieldError.Type.TOO_LONG, path, null, "may not be more than " + schema.path("maxLength").asInt() + " bytes"));
    }
    if (schema.has("minLength") && length < schema.path("minLength").asInt()) {
      errors.add(FieldError.invalid(path, s, path + " in body should be at least " + schema.path("minLength").asInt() + " chars long"));
    }
    String pattern = schema.path("pattern").asString("");
    if (!pattern.isEmpty()) {
      try {
        if (!Pattern.compile(pattern).matcher(s).find()) {
          errors.add(FieldError.invalid(path, s, path + " in body should match '" + pattern + "'"));
        }
      } catch (PatternSyntaxException e) {
        // the CRD's validation refuses invalid patterns; one stored before that is ignored
      }
    }
  }

  private static String number(JsonNode n) {
    return n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()) ? String.valueOf(n.asLong()) : String.valueOf(n.asDouble());
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isString();
      case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  private static String typeName(JsonNode v) {
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isString()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    return v.isNumber() ? "number" : "null";
  }
}
