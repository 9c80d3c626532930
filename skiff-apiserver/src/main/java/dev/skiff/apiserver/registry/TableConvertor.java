package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.json.Json;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns objects into a {@code meta.k8s.io/v1 Table}, the form {@code kubectl get} asks for, with the
 * strategy's columns and each row's object as upstream's {@code includeObject} parameter says.
 */
public final class TableConvertor {
  /** What each row carries besides its cells. */
  public enum IncludeObject {
    NONE,
    METADATA,
    OBJECT;

    /** @throws IllegalArgumentException for an unknown value */
    public static IncludeObject parse(String s) {
      return switch (s) {
        case "", "Metadata" -> METADATA;
        case "None" -> NONE;
        case "Object" -> OBJECT;
        default -> throw new IllegalArgumentException(s);
      };
    }
  }

  private TableConvertor() {}

  /**
   * A table of {@code objects}.
   *
   * @param withColumns whether to include the column definitions (watch events after the first omit them)
   */
  public static ObjectNode table(ResourceStrategy strategy, List<ObjectNode> objects, String resourceVersion,
      String continueToken, Long remaining, IncludeObject include, Instant now, boolean withColumns) {
    ObjectNode t = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = t.putObject("metadata");
    if (!resourceVersion.isEmpty()) {
      meta.put("resourceVersion", resourceVersion);
    }
    if (!continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    if (remaining != null) {
      meta.put("remainingItemCount", remaining);
    }
    ArrayNode cols = t.putArray("columnDefinitions");
    if (withColumns) {
      for (TableColumn c : strategy.columns()) {
        cols.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
            .put("description", c.description()).put("priority", c.priority());
      }
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : strategy.cells(o, now)) {
        switch (cell) {
          case Integer i -> cells.add(i);
          case Long l -> cells.add(l);
          case null -> cells.addNull();
          default -> cells.add(String.valueOf(cell));
        }
      }
      switch (include) {
        case NONE -> {}
        case METADATA -> row.set("object", partialMetadata(o));
        case OBJECT -> row.set("object", o);
      }
    }
    return t;
  }

  /** The object reduced to a {@code PartialObjectMetadata}. */
  public static ObjectNode partialMetadata(JsonNode obj) {
    ObjectNode p = Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
    p.set("metadata", obj.path("metadata").deepCopy());
    return p;
  }
}
