package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.json.Json;
import java.util.Comparator;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code metadata.managedFields}: the fields one manager owns through one kind of
 * operation, as upstream's {@code ManagedFieldsEntry} with {@code fieldsType: FieldsV1}.
 *
 * @param manager the field manager's name
 * @param operation {@code Apply} or {@code Update}
 * @param apiVersion the API version the manager wrote with
 * @param time when the entry last changed, as RFC 3339 ("" when unknown)
 * @param fields the owned fields
 * @param subresource the subresource written through ("" for the object itself)
 */
public record ManagedFieldsEntry(String manager, Operation operation, String apiVersion, String time, FieldSet fields,
    String subresource) {
  /** The two ways of writing that upstream records. */
  public enum Operation {
    APPLY("Apply"), UPDATE("Update");

    private final String wire;

    Operation(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Operation parse(String s) {
      return s.equals("Apply") ? APPLY : UPDATE;
    }
  }

  /** Upstream's order of entries: appliers first, then oldest first, then by name. */
  static final Comparator<ManagedFieldsEntry> ORDER = Comparator.comparing(ManagedFieldsEntry::operation)
      .thenComparing(ManagedFieldsEntry::time).thenComparing(ManagedFieldsEntry::manager)
      .thenComparing(ManagedFieldsEntry::apiVersion).thenComparing(ManagedFieldsEntry::subresource);

  public ManagedFieldsEntry {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(operation, "operation");
    apiVersion = apiVersion == null ? "" : apiVersion;
    time = time == null ? "" : time;
    Objects.requireNonNull(fields, "fields");
    subresource = subresource == null ? "" : subresource;
  }

  /**
   * Whether {@code other} is the same manager's entry: same name, operation and subresource, and
   * for updates the same API version (an applier keeps one entry across versions), as upstream's
   * manager identifier.
   */
  boolean sameManager(ManagedFieldsEntry other) {
    return manager.equals(other.manager) && operation == other.operation && subresource.equals(other.subresource)
        && (operation == Operation.APPLY || apiVersion.equals(other.apiVersion));
  }

  ManagedFieldsEntry withFields(FieldSet f) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, time, f, subresource);
  }

  ManagedFieldsEntry withTime(String t) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, t, fields, subresource);
  }

  /**
   * How conflict messages name the manager, as upstream prints it: {@code "NAME"} for an applier,
   * {@code "NAME" using apps/v1} for an updater, with {@code with subresource "status"} for a
   * subresource's manager.
   */
  String describe() {
    String out = '"' + manager + '"';
    if (!subresource.isEmpty()) {
      out += " with subresource \"" + subresource + '"';
    }
    return operation == Operation.UPDATE ? out + " using " + apiVersion : out;
  }

  ObjectNode toJson() {
    return toJson(fields.toFieldsV1());
  }

  /** The entry as JSON with {@code fieldsV1} as its fields, which callers that built the tree directly pass. */
  ObjectNode toJson(ObjectNode fieldsV1) {
    ObjectNode o = Json.object();
    o.put("apiVersion", apiVersion).put("fieldsType", "FieldsV1");
    o.set("fieldsV1", fieldsV1);
    o.put("manager", manager).put("operation", operation.wire());
    if (!subresource.isEmpty()) {
      o.put("subresource", subresource);
    }
    if (!time.isEmpty()) {
      o.put("time", time);
    }
    return o;
  }

  static ManagedFieldsEntry fromJson(JsonNode o) {
    return new ManagedFieldsEntry(o.path("manager").asString(""), Operation.parse(o.path("operation").asString("")),
        o.path("apiVersion").asString(""), o.path("time").asString(""), FieldSet.fromFieldsV1(o.get("fieldsV1")),
        o.path("subresource").asString(""));
  }
}
