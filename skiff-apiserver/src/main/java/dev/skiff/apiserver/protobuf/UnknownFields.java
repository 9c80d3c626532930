package dev.skiff.apiserver.protobuf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields of a built-in object that its type does not declare, at any depth, found and removed
 * as upstream's decoder drops them (the {@code fieldValidation} directive then decides whether they
 * are an error, a warning or nothing). Paths are upstream's: {@code spec.template.spec.containers[0].imagePullPolicyy}.
 * Values whose JSON form is not an object of fields (times, quantities, int-or-strings, raw JSON such as
 * {@code managedFields[].fieldsV1} or a ControllerRevision's {@code data}) are not looked into.
 */
public final class UnknownFields {
  private final ProtoSchema schema;
  /** JSON name to field per message, with the fields of inline (embedded) messages merged in. */
  private final Map<String, Map<String, ProtoField>> byJsonName = new ConcurrentHashMap<>();

  public UnknownFields(ProtoSchema schema) {
    this.schema = schema;
  }

  /** Removes from {@code obj} every field {@code type} does not declare and returns their paths, in document order. */
  public List<String> prune(ProtoMessage type, ObjectNode obj) {
    List<String> found = new ArrayList<>(0);
    walk(type, obj, "", found);
    return found;
  }

  private void walk(ProtoMessage type, ObjectNode obj, String path, List<String> found) {
    Map<String, ProtoField> fields = fields(type);
    List<String> unknown = null;
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String key = e.getKey();
      ProtoField field = fields.get(key);
      if (field == null) {
        // every object may carry its own type (a root, or an embedded DeleteOptions) as Go's structs do
        if (!key.equals("apiVersion") && !key.equals("kind")) {
          found.add(path + key);
          unknown = unknown == null ? new ArrayList<>(1) : unknown;
          unknown.add(key);
        }
        continue;
      }
      JsonNode value = e.getValue();
      switch (field.type()) {
        case MESSAGE -> {
          ProtoMessage nested = schema.message(field.message());
          if (nested.special() != ProtoMessage.Special.NONE) {
            continue;
          }
          if (field.repeated() && value instanceof ArrayNode items) {
            for (int i = 0; i < items.size(); i++) {
              if (items.get(i) instanceof ObjectNode item) {
                walk(nested, item, path + key + "[" + i + "].", found);
              }
            }
          } else if (!field.repeated() && value instanceof ObjectNode child) {
            walk(nested, child, path + key + ".", found);
          }
        }
        case MAP_MESSAGE -> {
          ProtoMessage nested = schema.message(field.message());
          if (nested.special() == ProtoMessage.Special.NONE && value instanceof ObjectNode entries) {
            for (Map.Entry<String, JsonNode> entry : entries.properties()) {
              if (entry.getValue() instanceof ObjectNode child) {
                walk(nested, child, path + key + "[" + entry.getKey() + "].", found);
              }
            }
          }
        }
        default -> {
          // scalars, lists of scalars and string maps hold no field names
        }
      }
    }
    if (unknown != null) {
      unknown.forEach(obj::remove);
    }
  }

  private Map<String, ProtoField> fields(ProtoMessage type) {
    return byJsonName.computeIfAbsent(type.name(), n -> {
      Map<String, ProtoField> out = new HashMap<>();
      collect(type, out);
      return Map.copyOf(out);
    });
  }

  private void collect(ProtoMessage type, Map<String, ProtoField> out) {
    for (ProtoField f : type.fields().values()) {
      if (f.inline()) {
        collect(schema.message(f.message()), out);
      } else {
        out.put(f.name(), f);
      }
    }
  }
}
