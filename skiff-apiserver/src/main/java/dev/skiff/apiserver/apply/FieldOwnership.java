package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field ownership of one resource, as upstream's field manager over structured-merge-diff's
 * {@code Updater}: server-side apply (merge, prune, conflicts) and the record every other write
 * leaves in {@code metadata.managedFields}. Stateless apart from its configuration; thread-safe.
 */
public final class FieldOwnership {
  /** Fields the server sets, owned by nobody: upstream's stripped metadata. */
  static final List<FieldPath> SERVER_FIELDS = List.of(FieldPath.of("apiVersion"), FieldPath.of("kind"),
      FieldPath.of("metadata", "name"), FieldPath.of("metadata", "namespace"),
      FieldPath.of("metadata", "creationTimestamp"), FieldPath.of("metadata", "selfLink"),
      FieldPath.of("metadata", "uid"), FieldPath.of("metadata", "generation"),
      FieldPath.of("metadata", "managedFields"), FieldPath.of("metadata", "resourceVersion"));

  private final ApplySchema schema;
  private final String apiVersion;
  private final boolean hasStatus;
  private final InstantSource clock;

  /**
   * @param schema the resource's apply schema
   * @param apiVersion the API version entries record
   * @param hasStatus whether the resource has a status subresource: then writes to the object do
   *     not own status, and writes to status own nothing else (upstream's reset fields)
   * @param clock the source of entries' times
   */
  public FieldOwnership(ApplySchema schema, String apiVersion, boolean hasStatus, InstantSource clock) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
    this.hasStatus = hasStatus;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The fields a write through {@code subresource} does not own. */
  private List<FieldPath> ignored(String subresource) {
    List<FieldPath> out = new ArrayList<>(SERVER_FIELDS);
    if (subresource.isEmpty() && hasStatus) {
      out.add(FieldPath.of("status"));
    } else if (subresource.equals("status")) {
      out.add(FieldPath.of("spec"));
      out.add(FieldPath.of("metadata"));
    }
    return out;
  }

  /**
   * Server-side apply of {@code config} by {@code origin} to {@code live} (null when the object
   * does not exist yet): the merged object, without the fields the manager applied before, no
   * longer applies and nobody else owns, and with the new managedFields. With {@code force}, fields
   * other managers own and this apply changes move to the applier; without it they fail the apply.
   *
   * @throws StatusError 409 Conflict with one cause per conflicting field
   */
  public ObjectNode apply(ObjectNode live, ObjectNode config, WriteOrigin origin, boolean force) {
    ObjectNode cfg = config.deepCopy();
    if (cfg.get("metadata") instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    List<String> duplicates = ObjectFields.duplicates(cfg, schema);
    if (!duplicates.isEmpty()) {
      // upstream answers with the bare error: 500 without a reason
      throw new StatusError(500, "", "failed to create typed patch object (%s): %s".formatted(describe(cfg),
          duplicates.size() == 1 ? duplicates.getFirst() : "errors:\n  " + String.join("\n  ", duplicates)), null);
    }
    List<FieldPath> ignored = ignored(origin.subresource());
    List<ManagedFieldsEntry> entries = ManagedFields.read(live);
    FieldSet applied = ObjectFields.of(cfg, schema).withoutPrefixes(ignored);
    ManagedFieldsEntry mine = new ManagedFieldsEntry(origin.manager(), ManagedFieldsEntry.Operation.APPLY, apiVersion,
        "", applied, origin.subresource());
    Optional<ManagedFieldsEntry> previous = entries.stream().filter(mine::sameManager).findFirst();
    List<ManagedFieldsEntry> others = entries.stream().filter(e -> !e.sameManager(mine)).toList();

    ObjectNode merged = (ObjectNode) ApplyMerge.merge(live, cfg, schema);
    FieldSet owned = applied;
    for (ManagedFieldsEntry e : others) {
      owned = owned.union(e.fields());
    }
    FieldSet stale = previous.map(ManagedFieldsEntry::fields).orElse(FieldSet.EMPTY).difference(owned)
        .withoutPrefixes(ignored);
    for (FieldPath p : stale.paths()) {
      // parents come first: a field whose insides someone still owns stays, its unowned insides go one by one
      if (!owned.hasMemberBelow(p)) {
        ApplyMerge.remove(merged, p, schema);
      }
    }

    Comparison change = Comparison.of(live == null ? shell(merged) : live, merged, schema).without(ignored);
    FieldSet changed = change.added().union(change.modified());
    Map<ManagedFieldsEntry, FieldSet> conflicts = new LinkedHashMap<>();
    for (ManagedFieldsEntry e : others) {
      FieldSet c = e.fields().intersection(changed);
      if (!c.isEmpty()) {
        conflicts.put(e, c);
      }
    }
    if (!force && !conflicts.isEmpty()) {
      throw conflict(conflicts);
    }
    List<ManagedFieldsEntry> out = new ArrayList<>();
    for (ManagedFieldsEntry e : others) {
      FieldSet left = e.fields().difference(changed).difference(change.removed());
      if (!left.isEmpty()) {
        out.add(e.withFields(left));
      }
    }
    boolean objectChanged = live == null || !withoutManagedFields(live).equals(withoutManagedFields(merged));
    String time = objectChanged || previous.isEmpty() ? now() : previous.get().time();
    if (!applied.isEmpty()) {
      out.add(mine.withTime(time));
    }
    ManagedFields.write(merged, out);
    return merged;
  }

  /**
   * Records a write that is not an apply ({@code old} is null for a create): {@code origin}'s
   * manager owns what the write added or changed, which no other manager owns any longer, and
   * fields it removed are owned by nobody. ManagedFields the request sets explicitly replace the
   * stored ones first ({@code [{}]} clears them). Sets {@code updated}'s managedFields.
   */
  public void recordUpdate(ObjectNode old, ObjectNode updated, WriteOrigin origin) {
    boolean explicit = origin.subresource().isEmpty() && ManagedFields.explicit(updated);
    if (old == null && !explicit) {
      recordCreate(updated, origin);
      return;
    }
    List<ManagedFieldsEntry> entries = explicit ? ManagedFields.read(updated) : ManagedFields.read(old);
    ObjectNode before = old == null ? shell(updated) : old;
    Comparison change = Comparison.of(before, updated, schema).without(ignored(origin.subresource()));
    FieldSet changed = change.added().union(change.modified());
    ManagedFieldsEntry mine = new ManagedFieldsEntry(origin.manager(), ManagedFieldsEntry.Operation.UPDATE,
        apiVersion, now(), changed, origin.subresource());
    List<ManagedFieldsEntry> out = new ArrayList<>();
    FieldSet previous = FieldSet.EMPTY;
    for (ManagedFieldsEntry e : entries) {
      FieldSet left = e.fields().difference(changed).difference(change.removed());
      if (e.sameManager(mine) && !changed.isEmpty()) {
        previous = left;
      } else if (!left.isEmpty()) {
        out.add(e.withFields(left));
      }
    }
    if (!changed.isEmpty()) {
      out.add(mine.withFields(previous.union(changed)));
    }
    ManagedFields.write(updated, AncientChanges.cap(out));
  }

  /**
   * A create with no managedFields of its own: the writer owns everything it set, one entry, built
   * straight from the object (what the general path gives, at a fraction of its cost).
   */
  private void recordCreate(ObjectNode created, WriteOrigin origin) {
    ObjectNode fieldsV1 = CreatedFields.of(created, schema, ignored(origin.subresource()));
    ObjectNode meta = created.withObjectProperty("metadata");
    if (fieldsV1 == null) {
      meta.remove("managedFields");
      return;
    }
    ManagedFieldsEntry mine = new ManagedFieldsEntry(origin.manager(), ManagedFieldsEntry.Operation.UPDATE,
        apiVersion, now(), FieldSet.EMPTY, origin.subresource());
    meta.putArray("managedFields").add(mine.toJson(fieldsV1));
  }

  /** {@code NAMESPACE/NAME; GROUP/VERSION, Kind=KIND}, as upstream names an object in apply errors. */
  private static String describe(JsonNode obj) {
    String apiVersion = obj.path("apiVersion").asString("");
    return "%s/%s; %s, Kind=%s".formatted(obj.path("metadata").path("namespace").asString(""),
        obj.path("metadata").path("name").asString(""), apiVersion.contains("/") ? apiVersion : "/" + apiVersion,
        obj.path("kind").asString(""));
  }

  /** What an object compares against when it is new: upstream's empty object of the kind. */
  private static ObjectNode shell(ObjectNode obj) {
    ObjectNode out = Json.object();
    out.putObject("metadata");
    for (String f : List.of("spec", "status")) {
      if (obj.path(f).isObject()) {
        out.putObject(f);
      }
    }
    return out;
  }

  private static JsonNode withoutManagedFields(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    if (copy.get("metadata") instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return copy;
  }

  private String now() {
    return ObjectMeta.formatTime(clock.instant());
  }

  /** Upstream's apply conflict: 409, reason Conflict, a cause per field. */
  static StatusError conflict(Map<ManagedFieldsEntry, FieldSet> conflicts) {
    Map<String, List<FieldPath>> byManager = new java.util.TreeMap<>();
    conflicts.forEach((e, set) -> byManager.computeIfAbsent(e.describe(), k -> new ArrayList<>()).addAll(set.paths()));
    ObjectNode details = Json.object();
    ArrayNode causes = details.putArray("causes");
    int count = 0;
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<FieldPath>> m : byManager.entrySet()) {
      lines.add("conflicts with " + m.getKey() + ":");
      for (FieldPath p : m.getValue()) {
        count++;
        lines.add("- " + p);
        causes.addObject().put("reason", "FieldManagerConflict").put("message", "conflict with " + m.getKey())
            .put("field", p.toString());
      }
    }
    String message;
    if (count == 1) {
      var only = byManager.entrySet().iterator().next();
      message = "Apply failed with 1 conflict: conflict with %s: %s".formatted(only.getKey(), only.getValue().getFirst());
    } else {
      message = "Apply failed with %d conflicts: %s".formatted(count, String.join("\n", lines));
    }
    return new StatusError(409, "Conflict", message, details);
  }
}
