package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Parsed trees of stored objects that every create reads again (a pod create's PriorityClasses and
 * ServiceAccount), remembered by key and mod revision. A tree is reused only for the very revision
 * it was parsed from, and the caller still reads the key-value from the store or the watch cache
 * each time, so nothing here can be stale: it only saves parsing the same bytes again. The trees are
 * shared between requests: callers must not change them. Thread-safe; at most {@value #CAPACITY}
 * trees, all dropped when full (deleted objects' trees go that way).
 */
public final class ParsedByRevision {
  private static final int CAPACITY = 4096;

  private record Parsed(long modRevision, JsonNode tree) {}

  private final ConcurrentHashMap<Bytes, Parsed> trees = new ConcurrentHashMap<>();

  /** The tree of {@code kv}'s value, parsed once per revision; read-only. */
  public JsonNode tree(KeyValue kv) {
    Parsed p = trees.get(kv.key());
    if (p != null && p.modRevision() == kv.modRevision()) {
      return p.tree();
    }
    JsonNode tree = Json.parse(kv.value().unsafeArray());
    if (trees.size() >= CAPACITY) {
      trees.clear();
    }
    trees.put(kv.key(), new Parsed(kv.modRevision(), tree));
    return tree;
  }
}
