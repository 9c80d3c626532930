package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.HumanDuration;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Core events ({@code pkg/registry/core/event}): what components record about objects and
 * {@code kubectl describe} shows. Selectable by the involved object, reason, source and type.
 */
public final class EventStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Event", "events", "event",
      true, ResourceDefinition.ALL_VERBS, List.of("ev"), List.of(), List.of());
  private static final Set<String> FIELDS = Set.of("involvedObject.kind", "involvedObject.namespace",
      "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
      "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    String ns = ObjectMeta.namespace(obj);
    String involvedNs = obj.path("involvedObject").path("namespace").asString("");
    if (!involvedNs.isEmpty() && !involvedNs.equals(ns)) {
      errors.add(FieldError.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
    }
    String type = obj.path("type").asString("");
    if (!type.isEmpty() && !type.equals("Normal") && !type.equals("Warning")) {
      errors.add(FieldError.notSupported("type", type, List.of("Normal", "Warning")));
    }
    return errors;
  }

  @Override
  public Set<String> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    if (field.equals("source")) {
      return Optional.of(obj.path("source").path("component").asString(""));
    }
    JsonNode v = obj;
    for (String part : field.split("\\.")) {
      v = v.path(part);
    }
    return Optional.of(v.asString(""));
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(
        TableColumn.of("Last Seen", "string", "Time when this event was last observed."),
        TableColumn.of("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future."),
        TableColumn.of("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        TableColumn.of("Object", "string", "The object that this event is about."),
        TableColumn.wide("Subobject", "string", "The subobject of the object this event is about."),
        TableColumn.wide("Source", "string", "The component reporting this event."),
        TableColumn.of("Message", "string", "A human-readable description of the status of this operation."),
        TableColumn.wide("First Seen", "string", "The time at which the event was first recorded."),
        TableColumn.wide("Count", "string", "The number of times this event has occurred."),
        new TableColumn("Name", "string", "name", "The name of the event.", 1));
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode involved = obj.path("involvedObject");
    String source = obj.path("source").path("component").asString(obj.path("reportingComponent").asString(""));
    String host = obj.path("source").path("host").asString("");
    return List.of(since(obj, "lastTimestamp", now), obj.path("type").asString(""), obj.path("reason").asString(""),
        involved.path("kind").asString("").toLowerCase(Locale.ROOT) + "/" + involved.path("name").asString(""),
        involved.path("fieldPath").asString(""), host.isEmpty() ? source : source + ", " + host,
        obj.path("message").asString("").strip(), since(obj, "firstTimestamp", now), obj.path("count").asInt(1),
        ObjectMeta.name(obj));
  }

  private static String since(JsonNode obj, String field, Instant now) {
    String t = obj.path(field).asString(obj.path("eventTime").asString(""));
    Instant at = t.isEmpty() ? ObjectMeta.creationTimestamp(obj) : ObjectMeta.parseTime(t);
    return at == null ? "<unknown>" : HumanDuration.format(Duration.between(at, now));
  }
}
