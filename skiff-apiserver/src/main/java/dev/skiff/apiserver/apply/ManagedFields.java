package dev.skiff.apiserver.apply;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading and writing {@code metadata.managedFields} of an object. */
public final class ManagedFields {
  private ManagedFields() {}

  /** The entries of {@code obj} (none when it has none or is null). */
  public static List<ManagedFieldsEntry> read(JsonNode obj) {
    List<ManagedFieldsEntry> out = new ArrayList<>();
    if (obj != null) {
      for (JsonNode e : obj.path("metadata").path("managedFields")) {
        if (e.isObject() && !e.isEmpty()) {
          out.add(ManagedFieldsEntry.fromJson(e));
        }
      }
    }
    return out;
  }

  /** Sets the entries of {@code obj} in upstream's order, removing the field when there are none. */
  public static void write(ObjectNode obj, List<ManagedFieldsEntry> entries) {
    ObjectNode meta = obj.withObjectProperty("metadata");
    if (entries.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    ArrayNode list = meta.putArray("managedFields");
    entries.stream().sorted(ManagedFieldsEntry.ORDER).forEach(e -> list.add(e.toJson()));
  }

  /**
   * Whether a request sets the entries explicitly: a non-empty list. The list {@code [{}]} resets
   * them, as upstream; an empty or missing list leaves the stored ones.
   */
  static boolean explicit(JsonNode obj) {
    JsonNode mf = obj.path("metadata").path("managedFields");
    return mf.isArray() && !mf.isEmpty();
  }
}
