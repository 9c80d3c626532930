package dev.skiff.apiserver.api;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request failed in a way the client should hear about: carries the Kubernetes
 * {@code Status} that the server writes back, with upstream's code, reason and message.
 * Factories mirror upstream's {@code k8s.io/apimachinery/pkg/api/errors}.
 */
public final class StatusError extends RuntimeException {
  private final int code;
  private final String reason;
  private final ObjectNode details;

  public StatusError(int code, String reason, String message, ObjectNode details) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** The Status object to send. */
  public ObjectNode toStatus() {
    ObjectNode s = Json.object();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", getMessage());
    if (reason != null && !reason.isEmpty()) {
      s.put("reason", reason);
    }
    if (details != null) {
      s.set("details", details);
    }
    s.put("code", code);
    return s;
  }

  /** {@code configmaps} or {@code deployments.apps}: how upstream names a group resource. */
  public static String qualified(String group, String resource) {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  private static ObjectNode details(String name, String group, String kind) {
    ObjectNode d = Json.object();
    if (name != null && !name.isEmpty()) {
      d.put("name", name);
    }
    if (!group.isEmpty()) {
      d.put("group", group);
    }
    d.put("kind", kind);
    return d;
  }

  public static StatusError notFound(String group, String resource, String name) {
    return new StatusError(404, "NotFound",
        "%s \"%s\" not found".formatted(qualified(group, resource), name), details(name, group, resource));
  }

  public static StatusError alreadyExists(String group, String resource, String name) {
    return new StatusError(409, "AlreadyExists",
        "%s \"%s\" already exists".formatted(qualified(group, resource), name), details(name, group, resource));
  }

  public static StatusError conflict(String group, String resource, String name, String why) {
    return new StatusError(409, "Conflict",
        "Operation cannot be fulfilled on %s \"%s\": %s".formatted(qualified(group, resource), name, why),
        details(name, group, resource));
  }

  public static StatusError staleResourceVersion(String group, String resource, String name) {
    return conflict(group, resource, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static StatusError invalid(String group, String kind, String name, List<FieldError> errors) {
    ObjectNode d = details(name, group, kind);
    ArrayNode causes = d.putArray("causes");
    for (FieldError e : errors) {
      causes.addObject().put("reason", e.type().reason()).put("message", e.body()).put("field", e.field());
    }
    String what = errors.size() == 1 ? errors.getFirst().toString()
        : "[" + String.join(", ", errors.stream().map(FieldError::toString).toList()) + "]";
    String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
    return new StatusError(422, "Invalid", "%s \"%s\" is invalid: %s".formatted(qualifiedKind, name, what), d);
  }

  /** 422 for a request that is well-formed but cannot be applied (a failing patch). */
  public static StatusError unprocessable(String message) {
    return new StatusError(422, "Invalid", message, null);
  }

  public static StatusError badRequest(String message) {
    return new StatusError(400, "BadRequest", message, null);
  }

  public static StatusError methodNotSupported(String group, String resource, String verb) {
    return new StatusError(405, "MethodNotAllowed",
        "%s is not supported on resources of kind \"%s\"".formatted(verb, qualified(group, resource)),
        details("", group, resource));
  }

  public static StatusError unsupportedMediaType(String contentType) {
    return new StatusError(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + "application/json, application/yaml",
        null);
  }

  public static StatusError notAcceptable() {
    return new StatusError(406, "NotAcceptable",
        "only the following media types are accepted: application/json, application/yaml", null);
  }

  public static StatusError expired(String message) {
    return new StatusError(410, "Expired", message, null);
  }

  public static StatusError gone(String message) {
    return new StatusError(410, "Gone", message, null);
  }

  public static StatusError unauthorized() {
    return new StatusError(401, "Unauthorized", "Unauthorized", null);
  }

  public static StatusError forbidden(String message) {
    return new StatusError(403, "Forbidden", message, null);
  }

  public static StatusError pathNotFound() {
    return new StatusError(404, "NotFound", "the server could not find the requested resource", null);
  }

  public static StatusError internal(String message) {
    ObjectNode d = Json.object();
    d.putArray("causes").addObject().put("message", message);
    return new StatusError(500, "InternalError",
        "Internal error occurred: " + message, d);
  }

  public static StatusError timeout(String message) {
    return new StatusError(504, "Timeout", message, null);
  }
}
