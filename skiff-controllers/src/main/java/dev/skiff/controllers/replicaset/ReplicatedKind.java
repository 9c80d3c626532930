package dev.skiff.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;

/**
 * The API kind a {@link ReplicaSetController} runs over, seen as ReplicaSets: ReplicaSets
 * themselves, or ReplicationControllers converted both ways (upstream runs its ReplicationManager
 * as a ReplicaSet controller through conversion adapters in the same way). A view's
 * {@code apiVersion} and {@code kind} are the real kind's, so owner references and events name it.
 */
public interface ReplicatedKind {
  /** The kind in owner references, such as {@code ReplicaSet}. */
  String kind();

  /** The shared informer of the real kind; the controller queues each changed object's key. */
  SharedIndexInformer<? extends HasMetadata> informer();

  /** The cached object, as a ReplicaSet, or null. */
  ReplicaSet cached(String namespace, String name);

  /** Every cached object of a namespace, as ReplicaSets. */
  List<ReplicaSet> cachedIn(String namespace);

  /** The object read from the API now (not the cache), as a ReplicaSet: the adoption check. */
  Optional<ReplicaSet> fresh(String namespace, String name);

  /** Writes {@code status} to the object's status subresource; returns the written object as a ReplicaSet. */
  ReplicaSet updateStatus(ReplicaSet view, ReplicaSetStatus status);
}
