package dev.skiff.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One object in the dependency graph (upstream's {@code node}): its identity, its owner
 * references and the nodes that name it as owner. A virtual node stands for an owner that some
 * dependent names but no informer has shown; the collector checks with the API whether it exists.
 * Guarded by the {@link DependencyGraph}'s lock.
 */
final class GraphNode {
  final String uid;
  String apiVersion;
  String kind;
  String namespace;
  String name;
  boolean virtual;
  boolean beingDeleted;
  /** Carries the foregroundDeletion finalizer while being deleted: waits for blocking dependents. */
  boolean deletingDependents;
  List<OwnerReference> owners = List.of();
  final Set<GraphNode> dependents = new LinkedHashSet<>();

  GraphNode(String uid, String apiVersion, String kind, String namespace, String name, boolean virtual) {
    this.uid = uid;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
    this.virtual = virtual;
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + " (" + uid + (virtual ? ", virtual)" : ")");
  }
}
