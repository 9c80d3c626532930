package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.protobuf.ProtoSchema;
import dev.skiff.apiserver.protobuf.UnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code fieldValidation} query parameter for unknown fields in create, update, patch and
 * apply bodies. Unknown fields of built-in kinds, at any depth, are always removed (upstream's typed
 * decode drops them; custom resources are pruned by their structural schema); the directive says what
 * the client hears: {@code Strict} refuses the request with a 400 and nothing is written, {@code Warn}
 * (the server's default) answers with one {@code Warning} header per field, {@code Ignore} says nothing.
 */
final class FieldValidation {
  private final ProtoSchema schema;
  private final UnknownFields unknownFields;

  FieldValidation(ProtoSchema schema) {
    this.schema = schema;
    this.unknownFields = new UnknownFields(schema);
  }

  /**
   * Removes {@code body}'s unknown fields and applies the request's directive to them and to
   * {@code strategyUnknown}, the unknown fields its strategy found (and pruned) itself.
   */
  void check(Exchange ex, ObjectNode body, ResourceDefinition def, List<String> strategyUnknown) {
    String directive = directive(ex);
    List<String> unknown = prune(body, def);
    if (!strategyUnknown.isEmpty()) {
      unknown = new ArrayList<>(unknown);
      unknown.addAll(strategyUnknown);
    }
    if (unknown.isEmpty() || directive.equals("Ignore")) {
      return;
    }
    if (directive.equals("Strict")) {
      String fields = unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
      throw StatusError.badRequest("%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s"
          .formatted(def.kind(), def.version(), def.kind(), fields));
    }
    unknown.forEach(f -> ex.addWarning("unknown field \"" + f + "\""));
  }

  /** The request's directive, checked: {@code Strict}, {@code Warn} (also when absent) or {@code Ignore}. */
  private static String directive(Exchange ex) {
    String directive = ex.query("fieldValidation");
    return switch (directive) {
      case "Strict", "Warn", "Ignore" -> directive;
      case "" -> "Warn";
      default -> throw StatusError.badRequest("fieldValidation: Unsupported value: \"" + directive
          + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    };
  }

  /** Removes the fields of a built-in kind's object that its type does not declare; their paths. */
  List<String> prune(ObjectNode body, ResourceDefinition def) {
    return schema.root(def.apiVersion(), def.kind()).map(type -> unknownFields.prune(type, body)).orElse(List.of());
  }
}
