package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.ClusterLister;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ClusterLister} over informer caches. Kinds the API server does not serve yet
 * (ReplicationControllers, StatefulSets, PodDisruptionBudgets) list as empty; when it serves them,
 * add their informers here. Reads go to the informers' thread-safe indexers, never to the server.
 */
final class InformerClusterLister implements ClusterLister {

    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<ReplicaSet> replicaSets;

    InformerClusterLister(SharedIndexInformer<Namespace> namespaces, SharedIndexInformer<Service> services,
                          SharedIndexInformer<ReplicaSet> replicaSets) {
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
        this.services = Objects.requireNonNull(services, "services");
        this.replicaSets = Objects.requireNonNull(replicaSets, "replicaSets");
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        Namespace ns = namespaces.getIndexer().getByKey(namespace);
        if (ns == null || ns.getMetadata().getLabels() == null) {
            // upstream sets this label on every namespace; a namespace not yet seen still has it
            return Map.of("kubernetes.io/metadata.name", namespace);
        }
        return ns.getMetadata().getLabels();
    }

    @Override
    public List<Service> services(String namespace) {
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    @Override
    public List<ReplicationController> replicationControllers(String namespace) {
        return List.of();
    }

    @Override
    public List<ReplicaSet> replicaSets(String namespace) {
        return replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    @Override
    public List<StatefulSet> statefulSets(String namespace) {
        return List.of();
    }

    @Override
    public List<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
        return List.of();
    }
}
