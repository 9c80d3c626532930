package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.base.StatusWrite;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** apps/v1 ReplicaSets as themselves. */
public final class ReplicaSetKind implements ReplicatedKind {
  private final KubernetesClient client;
  private final SharedIndexInformer<ReplicaSet> informer;

  public ReplicaSetKind(KubernetesClient client, SharedInformers informers) {
    this.client = Objects.requireNonNull(client, "client");
    this.informer = informers.informer(ReplicaSet.class);
  }

  @Override
  public String kind() {
    return "ReplicaSet";
  }

  @Override
  public SharedIndexInformer<ReplicaSet> informer() {
    return informer;
  }

  @Override
  public ReplicaSet cached(String namespace, String name) {
    return informer.getIndexer().getByKey(namespace + "/" + name);
  }

  @Override
  public List<ReplicaSet> cachedIn(String namespace) {
    return informer.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, namespace);
  }

  @Override
  public Optional<ReplicaSet> fresh(String namespace, String name) {
    return Optional.ofNullable(client.apps().replicaSets().inNamespace(namespace).withName(name).get());
  }

  @Override
  public ReplicaSet updateStatus(ReplicaSet rs, ReplicaSetStatus status) {
    return StatusWrite.write(client, ReplicaSet.class, rs, o -> new ReplicaSetBuilder(o).withStatus(status).build());
  }
}
