package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.protobuf.ProtoField;
import dev.skiff.apiserver.protobuf.ProtoMessage;
import dev.skiff.apiserver.protobuf.ProtoSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code fieldValidation} query parameter for unknown fields in create and update bodies:
 * {@code Strict} refuses them with a 400, {@code Warn} (the server's default) answers with a
 * {@code Warning} header, {@code Ignore} says nothing. Skiff knows the fields of the object's top
 * level and of its metadata (from the protobuf schema); deeper fields are not checked yet.
 */
final class FieldValidation {
  private final ProtoSchema schema;
  /**
   * Field names by message name, and a root message's with {@code apiVersion} and {@code kind}: built once per
   * message (two hash sets built per create were 2% of the API threads' samples under a create benchmark).
   */
  private final Map<String, Set<String>> fieldNames = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> rootNames = new ConcurrentHashMap<>();

  FieldValidation(ProtoSchema schema) {
    this.schema = schema;
  }

  /** Applies the request's directive to {@code body}, whose strategy found {@code strategyUnknown} unknown fields. */
  void check(Exchange ex, JsonNode body, ResourceDefinition def, List<String> strategyUnknown) {
    String directive = ex.query("fieldValidation");
    if (directive.equals("Ignore")) {
      return;
    }
    if (!directive.isEmpty() && !directive.equals("Strict") && !directive.equals("Warn")) {
      throw StatusError.badRequest("fieldValidation: Unsupported value: \"" + directive
          + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    }
    List<String> unknown = new ArrayList<>(unknownFields(body, def));
    unknown.addAll(strategyUnknown);
    if (unknown.isEmpty()) {
      return;
    }
    List<String> messages = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
    if (directive.equals("Strict")) {
      throw StatusError.badRequest("strict decoding error: " + String.join(", ", messages));
    }
    messages.forEach(ex::addWarning);
  }

  List<String> unknownFields(JsonNode body, ResourceDefinition def) {
    Optional<ProtoMessage> type = schema.root(def.apiVersion(), def.kind());
    if (type.isEmpty() || !(body instanceof ObjectNode)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Set<String> top = rootNames.computeIfAbsent(type.get().name(), n -> {
      Set<String> names = new HashSet<>(names(type.get()));
      names.addAll(List.of("apiVersion", "kind"));
      return Set.copyOf(names);
    });
    Set<String> meta = fieldNames.computeIfAbsent("ObjectMeta", n -> names(schema.message(n)));
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!top.contains(e.getKey())) {
        out.add(e.getKey());
      }
    }
    for (Map.Entry<String, JsonNode> e : body.path("metadata").properties()) {
      if (!meta.contains(e.getKey())) {
        out.add("metadata." + e.getKey());
      }
    }
    return out;
  }

  private static Set<String> names(ProtoMessage m) {
    Set<String> out = new HashSet<>();
    for (ProtoField f : m.fields().values()) {
      out.add(f.name());
    }
    return Set.copyOf(out);
  }
}
