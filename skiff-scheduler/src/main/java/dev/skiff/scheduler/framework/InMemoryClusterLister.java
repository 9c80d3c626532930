package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ClusterLister} over objects held in memory, for tests and the pure scheduling loop.
 * Thread-safe; objects are grouped by namespace.
 */
public final class InMemoryClusterLister implements ClusterLister {

    private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
    private final Map<Class<?>, Map<String, List<HasMetadata>>> objects = new ConcurrentHashMap<>();

    public InMemoryClusterLister putNamespace(String name, Map<String, String> labels) {
        namespaceLabels.put(name, Map.copyOf(labels));
        return this;
    }

    /** Adds a Service, ReplicationController, ReplicaSet, StatefulSet or PodDisruptionBudget. */
    public InMemoryClusterLister add(HasMetadata object) {
        objects.computeIfAbsent(object.getClass(), c -> new ConcurrentHashMap<>())
                .computeIfAbsent(object.getMetadata().getNamespace(), n -> new CopyOnWriteArrayList<>())
                .add(object);
        return this;
    }

    /** Removes every object of the object's kind with its namespace and name. */
    public void remove(HasMetadata object) {
        var byNs = objects.getOrDefault(object.getClass(), Map.of()).get(object.getMetadata().getNamespace());
        if (byNs != null) {
            byNs.removeIf(o -> o.getMetadata().getName().equals(object.getMetadata().getName()));
        }
    }

    private <T> List<T> list(Class<T> type, String namespace) {
        List<HasMetadata> l = objects.getOrDefault(type, Map.of()).get(namespace);
        return l == null ? List.of() : l.stream().map(type::cast).toList();
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of("kubernetes.io/metadata.name", namespace));
    }

    @Override
    public List<Service> services(String namespace) {
        return list(Service.class, namespace);
    }

    @Override
    public List<ReplicationController> replicationControllers(String namespace) {
        return list(ReplicationController.class, namespace);
    }

    @Override
    public List<ReplicaSet> replicaSets(String namespace) {
        return list(ReplicaSet.class, namespace);
    }

    @Override
    public List<StatefulSet> statefulSets(String namespace) {
        return list(StatefulSet.class, namespace);
    }

    @Override
    public List<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
        return list(PodDisruptionBudget.class, namespace);
    }
}
