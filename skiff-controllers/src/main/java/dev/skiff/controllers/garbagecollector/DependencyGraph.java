package dev.skiff.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The owner/dependent graph of every object the collector watches (upstream's {@code GraphBuilder}
 * and {@code uidToNode}). Informer events go in; what comes out is which nodes to look at:
 * dependents of a deleted owner, owners that wait for their dependents (foreground), owners whose
 * dependents must be orphaned, and virtual owners to verify. Thread-safe: every method holds the
 * graph's lock, and callers get copies, never live nodes.
 */
final class DependencyGraph {
  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";

  /** The uids to hand to the attemptToDelete and attemptToOrphan queues. */
  record Work(List<String> toDelete, List<String> toOrphan) {
    static Work none() {
      return new Work(List.of(), List.of());
    }
  }

  /** A copy of a node's identity and state. */
  record Item(String uid, String apiVersion, String kind, String namespace, String name, boolean virtual,
      boolean deletingDependents, List<OwnerReference> owners) {}

  /** A dependent of some owner, and whether its reference to that owner blocks the owner's deletion. */
  record Dependent(Item item, boolean blocksOwnerDeletion, boolean beingDeleted) {}

  private final Map<String, GraphNode> nodes = new HashMap<>();

  /** An object was added or changed. */
  Work observe(HasMetadata obj) {
    return observe(obj.getApiVersion(), obj.getKind(), obj.getMetadata());
  }

  /** An object of {@code apiVersion}/{@code kind} was added or changed; only its metadata is read, none kept. */
  synchronized Work observe(String apiVersion, String kind, ObjectMeta meta) {
    String uid = meta.getUid();
    String ns = meta.getNamespace() == null ? "" : meta.getNamespace();
    List<OwnerReference> refs = meta.getOwnerReferences() == null ? List.of() : List.copyOf(meta.getOwnerReferences());
    List<String> toDelete = new ArrayList<>();
    List<String> toOrphan = new ArrayList<>();
    GraphNode node = nodes.get(uid);
    if (node == null) {
      node = new GraphNode(uid, apiVersion, kind, ns, meta.getName(), false);
      nodes.put(uid, node);
    } else if (node.virtual) {
      // the owner turned out to exist: it is a real node now
      node.virtual = false;
      node.apiVersion = apiVersion;
      node.kind = kind;
      node.namespace = ns;
      node.name = meta.getName();
    }
    Set<String> before = node.owners.stream().map(OwnerReference::getUid).collect(Collectors.toSet());
    Set<String> after = refs.stream().map(OwnerReference::getUid).collect(Collectors.toSet());
    for (OwnerReference old : node.owners) {
      GraphNode owner = nodes.get(old.getUid());
      boolean changed = refs.stream().noneMatch(r -> r.equals(old));
      if (owner != null && changed) {
        if (!after.contains(old.getUid())) {
          owner.dependents.remove(node);
        }
        if (owner.deletingDependents) {
          toDelete.add(owner.uid); // this dependent may no longer block the owner
        }
      }
    }
    for (OwnerReference ref : refs) {
      if (before.contains(ref.getUid()) && nodes.containsKey(ref.getUid())) {
        continue;
      }
      GraphNode owner = nodes.get(ref.getUid());
      if (owner == null) {
        owner = new GraphNode(ref.getUid(), ref.getApiVersion(), ref.getKind(), ns, ref.getName(), true);
        nodes.put(owner.uid, owner);
        toDelete.add(owner.uid); // verify that the owner exists
      }
      owner.dependents.add(node);
      if (owner.beingDeleted && !owner.virtual && !owner.deletingDependents) {
        toDelete.add(node.uid);
      }
    }
    node.owners = refs;
    boolean deleting = meta.getDeletionTimestamp() != null;
    List<String> finalizers = meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
    node.beingDeleted = deleting;
    if (deleting && finalizers.contains(ORPHAN)) {
      toOrphan.add(uid);
    }
    if (deleting && finalizers.contains(FOREGROUND)) {
      node.deletingDependents = true;
      node.dependents.forEach(d -> toDelete.add(d.uid));
      toDelete.add(uid);
    } else {
      node.deletingDependents = false;
    }
    if (!refs.isEmpty() && !deleting && node.owners.stream().anyMatch(r -> isGoneOrVirtual(r.getUid()))) {
      toDelete.add(uid);
    }
    return new Work(toDelete, toOrphan);
  }

  private boolean isGoneOrVirtual(String uid) {
    GraphNode n = nodes.get(uid);
    return n == null || n.virtual;
  }

  /** An object is gone: its dependents need a look, and so do owners waiting for it. */
  synchronized Work forget(String uid) {
    GraphNode node = nodes.remove(uid);
    if (node == null) {
      return Work.none();
    }
    List<String> toDelete = new ArrayList<>();
    for (OwnerReference ref : node.owners) {
      GraphNode owner = nodes.get(ref.getUid());
      if (owner != null) {
        owner.dependents.remove(node);
        if (owner.deletingDependents) {
          toDelete.add(owner.uid);
        }
        if (owner.virtual && owner.dependents.isEmpty()) {
          nodes.remove(owner.uid);
        }
      }
    }
    node.dependents.forEach(d -> toDelete.add(d.uid));
    if (!node.dependents.isEmpty()) {
      // the dependents still name this owner: a virtual node remembers it until they are handled
      GraphNode ghost = new GraphNode(node.uid, node.apiVersion, node.kind, node.namespace, node.name, true);
      ghost.dependents.addAll(node.dependents);
      nodes.put(ghost.uid, ghost);
    }
    return new Work(toDelete, List.of());
  }

  synchronized Optional<Item> item(String uid) {
    return Optional.ofNullable(nodes.get(uid)).map(DependencyGraph::copy);
  }

  synchronized List<Dependent> dependents(String uid) {
    GraphNode owner = nodes.get(uid);
    if (owner == null) {
      return List.of();
    }
    List<Dependent> out = new ArrayList<>();
    for (GraphNode d : owner.dependents) {
      boolean blocks = d.owners.stream()
          .anyMatch(r -> Objects.equals(r.getUid(), uid) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
      out.add(new Dependent(copy(d), blocks, d.beingDeleted));
    }
    return out;
  }

  synchronized int size() {
    return nodes.size();
  }

  private static Item copy(GraphNode n) {
    return new Item(n.uid, n.apiVersion, n.kind, n.namespace, n.name, n.virtual, n.deletingDependents, n.owners);
  }
}
