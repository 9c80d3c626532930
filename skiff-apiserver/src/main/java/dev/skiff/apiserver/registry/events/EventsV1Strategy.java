package dev.skiff.apiserver.registry.events;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.conversion.ConvertedVersion;
import dev.skiff.apiserver.conversion.VersionConversion;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import dev.skiff.apiserver.registry.core.EventStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * events.k8s.io/v1 Events, stored with the core/v1 Events ({@link ResourceDefinition#storagePrefix}
 * puts both under {@code /registry/events/}) and converted by {@link EventsV1Conversion}, so an event
 * written through either API is read through both, as upstream. Creates through this version must
 * carry what upstream's events/v1 validation requires (eventTime, reportingController,
 * reportingInstance, action, reason; a note of at most 1 KiB); the rest of the checks, the field
 * selectors and the Table rows are core's, run on the core form.
 */
public final class EventsV1Strategy implements ResourceStrategy, ConvertedVersion {
  private static final EventsV1Conversion CONVERSION = new EventsV1Conversion();
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("events.k8s.io", "v1", "Event", "events",
      "event", true, ResourceDefinition.ALL_VERBS, List.of("ev"), List.of(), List.of());
  private static final int NOTE_LIMIT = 1024;
  private static final Map<String, String> FIELD_PREFIXES = Map.of("regarding.", "involvedObject.",
      "reportingController", "reportingComponent", "deprecatedSource", "source");

  private final EventStrategy core = new EventStrategy();
  /** core's selectable fields plus their v1 spellings; computed once, as selectors ask for it per request. */
  private final Set<String> selectableFields = Set.copyOf(withV1Names(core.selectableFields()));

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public VersionConversion conversion() {
    return CONVERSION;
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    for (String required : List.of("eventTime", "reportingController", "reportingInstance", "action", "reason")) {
      if (obj.path(required).asString("").isEmpty()) {
        errors.add(FieldError.required(required, ""));
      }
    }
    String note = obj.path("note").asString("");
    if (note.length() > NOTE_LIMIT) {
      errors.add(new FieldError(FieldError.Type.TOO_LONG, "note", null, "may not be more than " + NOTE_LIMIT + " bytes"));
    }
    errors.addAll(core.validate(toCore(obj)));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return core.validate(toCore(obj));
  }

  @Override
  public Set<String> selectableFields() {
    return selectableFields;
  }

  private static Set<String> withV1Names(Set<String> coreFields) {
    Set<String> fields = new HashSet<>(coreFields);
    for (String f : coreFields) {
      FIELD_PREFIXES.forEach((v1, c) -> {
        if (f.startsWith(c)) {
          fields.add(v1 + f.substring(c.length()));
        }
      });
    }
    return fields;
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    String coreField = field;
    for (var e : FIELD_PREFIXES.entrySet()) {
      if (field.startsWith(e.getKey())) {
        coreField = e.getValue() + field.substring(e.getKey().length());
      }
    }
    JsonNode coreObj = obj instanceof ObjectNode o && "events.k8s.io/v1".equals(o.path("apiVersion").asString("")) ? toCore(o) : obj;
    return core.fieldValue(coreObj, coreField);
  }

  @Override
  public List<TableColumn> columns() {
    return core.columns();
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return core.cells(obj instanceof ObjectNode o ? toCore(o) : obj, now);
  }

  private static ObjectNode toCore(ObjectNode v1) {
    return CONVERSION.toStorage(v1.deepCopy());
  }
}
