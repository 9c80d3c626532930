package dev.skiff.apiserver.apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's cap on {@code Update} entries: an object written by many updaters would otherwise
 * carry an entry for each forever. Beyond {@link #MAX_UPDATE_ENTRIES}, the oldest updates of one API
 * version are merged into a single {@code ancient-changes} entry, which takes the time of the
 * newest update merged into it. Apply entries are never merged.
 */
final class AncientChanges {
  static final int MAX_UPDATE_ENTRIES = 10;
  static final String MANAGER = "ancient-changes";

  private AncientChanges() {}

  /** {@code entries} with at most {@link #MAX_UPDATE_ENTRIES} update entries. */
  static List<ManagedFieldsEntry> cap(List<ManagedFieldsEntry> entries) {
    List<ManagedFieldsEntry> updates = new ArrayList<>(entries.stream()
        .filter(e -> e.operation() == ManagedFieldsEntry.Operation.UPDATE).toList());
    if (updates.size() <= MAX_UPDATE_ENTRIES) {
      return entries;
    }
    updates.sort(Comparator.comparing(ManagedFieldsEntry::time));
    List<ManagedFieldsEntry> out = new ArrayList<>(entries);
    // per API version, the first old update seen, and then the bucket it became
    Map<String, ManagedFieldsEntry> buckets = new HashMap<>();
    updates.stream().filter(e -> e.manager().equals(MANAGER)).forEach(e -> buckets.put(e.apiVersion(), e));
    int count = updates.size();
    for (int i = 0; i < updates.size() && count > MAX_UPDATE_ENTRIES; i++) {
      ManagedFieldsEntry e = updates.get(i);
      ManagedFieldsEntry first = buckets.get(e.apiVersion());
      if (first == e) {
        continue;
      }
      if (first == null) {
        buckets.put(e.apiVersion(), e);
        continue;
      }
      out.remove(first);
      out.remove(e);
      ManagedFieldsEntry bucket = new ManagedFieldsEntry(MANAGER, ManagedFieldsEntry.Operation.UPDATE, e.apiVersion(),
          later(first.time(), e.time()), first.fields().union(e.fields()), "");
      out.add(bucket);
      buckets.put(e.apiVersion(), bucket);
      count--;
    }
    return out;
  }

  private static String later(String a, String b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
