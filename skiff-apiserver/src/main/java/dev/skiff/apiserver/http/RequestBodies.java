package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.protobuf.ProtoSchema;
import dev.skiff.apiserver.protobuf.ProtobufDecoder;
import dev.skiff.apiserver.registry.Patches;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes request bodies by Content-Type, with upstream's errors: 415 for a type the server does not
 * read, 400 for bytes that do not parse.
 */
final class RequestBodies {
  /** Immutable: the schema is read once and never changes. */
  static final ProtoSchema SCHEMA = ProtoSchema.builtIn();
  private static final ProtobufDecoder PROTOBUF = new ProtobufDecoder(SCHEMA);

  private RequestBodies() {}

  /** An object body of a create or update (JSON or YAML). */
  static ObjectNode object(String contentType, byte[] body) {
    MediaType m = MediaType.parse(contentType.isEmpty() ? "application/json" : contentType);
    JsonNode n = switch (m.essence()) {
      case "application/json", "*/*", "/" -> parse(body, false);
      case "application/yaml", "application/x-yaml", "text/yaml" -> parse(body, true);
      case "application/vnd.kubernetes.protobuf" -> PROTOBUF.decode(body);
      default -> throw StatusError.unsupportedMediaType(contentType);
    };
    if (!(n instanceof ObjectNode obj)) {
      throw StatusError.badRequest("Object 'Kind' is missing in '" + new String(body, java.nio.charset.StandardCharsets.UTF_8).strip() + "'");
    }
    return obj;
  }

  /** The patch type of a PATCH request's Content-Type. */
  static Patches.Type patchType(String contentType) {
    return switch (MediaType.parse(contentType).essence()) {
      case "application/json-patch+json" -> Patches.Type.JSON_PATCH;
      case "application/merge-patch+json" -> Patches.Type.MERGE_PATCH;
      case "application/strategic-merge-patch+json" -> Patches.Type.STRATEGIC_MERGE_PATCH;
      default -> throw new StatusError(415, "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: "
              + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
          null);
    };
  }

  static JsonNode parse(byte[] body, boolean yaml) {
    if (body.length == 0) {
      throw StatusError.badRequest("Object 'Kind' is missing in ''");
    }
    try {
      JsonNode n = yaml ? Json.parseYaml(body) : Json.parse(body);
      if (n == null || n.isMissingNode()) {
        throw StatusError.badRequest("Object 'Kind' is missing in ''");
      }
      return n;
    } catch (JacksonException e) {
      throw StatusError.badRequest(
          (yaml ? "error converting YAML to JSON: " : "couldn't get version/kind; json parse error: ") + e.getOriginalMessage());
    }
  }

  /** An optional JSON body (DeleteOptions); an empty body is an empty object. */
  static JsonNode optional(String contentType, byte[] body) {
    if (body.length == 0) {
      return Json.object();
    }
    return MediaType.parse(contentType).essence().equals("application/vnd.kubernetes.protobuf")
        ? PROTOBUF.decode(body) : parse(body, false);
  }
}
