package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.List;
import java.util.Map;

/**
 * Read access to the cluster objects other than nodes and pods that plugins consult: namespace
 * labels (affinity namespace selectors), the workloads and services that define a pod's default
 * spreading selector, and PodDisruptionBudgets (preemption). Backed by informer caches once the
 * API wiring exists; by {@link InMemoryClusterLister} in tests. Implementations must be cheap and
 * thread-safe for reads.
 */
public interface ClusterLister {

    Map<String, String> namespaceLabels(String namespace);

    List<Service> services(String namespace);

    List<ReplicationController> replicationControllers(String namespace);

    List<ReplicaSet> replicaSets(String namespace);

    List<StatefulSet> statefulSets(String namespace);

    List<PodDisruptionBudget> podDisruptionBudgets(String namespace);

    /** A lister with no objects at all. */
    ClusterLister EMPTY = new InMemoryClusterLister();
}
