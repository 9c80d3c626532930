package dev.skiff.controllers.replication;

import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.base.StatusWrite;
import dev.skiff.controllers.replicaset.ReplicatedKind;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerConditionBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * core/v1 ReplicationControllers seen as ReplicaSets, as upstream's {@code replication/conversion.go}:
 * the selector map becomes {@code matchLabels}, and the status converts back field for field. The
 * view keeps {@code v1}/{@code ReplicationController} as its apiVersion and kind, so pods' owner
 * references and events name the ReplicationController.
 */
public final class ReplicationControllerKind implements ReplicatedKind {
  private final KubernetesClient client;
  private final SharedIndexInformer<ReplicationController> informer;

  public ReplicationControllerKind(KubernetesClient client, SharedInformers informers) {
    this.client = Objects.requireNonNull(client, "client");
    this.informer = informers.informer(ReplicationController.class);
  }

  @Override
  public String kind() {
    return "ReplicationController";
  }

  @Override
  public SharedIndexInformer<ReplicationController> informer() {
    return informer;
  }

  @Override
  public ReplicaSet cached(String namespace, String name) {
    ReplicationController rc = informer.getIndexer().getByKey(namespace + "/" + name);
    return rc == null ? null : asReplicaSet(rc);
  }

  @Override
  public List<ReplicaSet> cachedIn(String namespace) {
    return informer.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, namespace).stream()
        .map(ReplicationControllerKind::asReplicaSet).toList();
  }

  @Override
  public Optional<ReplicaSet> fresh(String namespace, String name) {
    return Optional.ofNullable(client.replicationControllers().inNamespace(namespace).withName(name).get())
        .map(ReplicationControllerKind::asReplicaSet);
  }

  /** Writes the status onto the cached ReplicationController. */
  @Override
  public ReplicaSet updateStatus(ReplicaSet view, ReplicaSetStatus status) {
    ReplicationController rc = informer.getIndexer().getByKey(view.getMetadata().getNamespace() + "/"
        + view.getMetadata().getName());
    if (rc == null) {
      return view;
    }
    return asReplicaSet(StatusWrite.write(client, ReplicationController.class, rc,
        o -> new ReplicationControllerBuilder(o).withStatus(asRcStatus(status)).build()));
  }

  /** Upstream's {@code convertRCtoRS}. */
  static ReplicaSet asReplicaSet(ReplicationController rc) {
    var spec = rc.getSpec();
    ReplicaSet rs = new ReplicaSetBuilder().withMetadata(rc.getMetadata())
        .withNewSpec().withReplicas(spec.getReplicas()).withMinReadySeconds(spec.getMinReadySeconds())
        .withSelector(new LabelSelectorBuilder().withMatchLabels(spec.getSelector()).build())
        .withTemplate(spec.getTemplate()).endSpec()
        .withStatus(asRsStatus(rc.getStatus())).build();
    rs.setApiVersion("v1");
    rs.setKind("ReplicationController");
    return rs;
  }

  private static ReplicaSetStatus asRsStatus(ReplicationControllerStatus s) {
    if (s == null) {
      return null;
    }
    List<ReplicaSetCondition> conditions = s.getConditions() == null ? null : s.getConditions().stream()
        .map(c -> new ReplicaSetConditionBuilder().withType(c.getType()).withStatus(c.getStatus()).withReason(c.getReason())
            .withMessage(c.getMessage()).withLastTransitionTime(c.getLastTransitionTime()).build()).toList();
    return new ReplicaSetStatusBuilder().withReplicas(s.getReplicas()).withFullyLabeledReplicas(s.getFullyLabeledReplicas())
        .withReadyReplicas(s.getReadyReplicas()).withAvailableReplicas(s.getAvailableReplicas())
        .withObservedGeneration(s.getObservedGeneration()).withConditions(conditions).build();
  }

  private static ReplicationControllerStatus asRcStatus(ReplicaSetStatus s) {
    List<ReplicationControllerCondition> conditions = s.getConditions() == null ? null : s.getConditions().stream()
        .map(c -> new ReplicationControllerConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
            .withReason(c.getReason()).withMessage(c.getMessage()).withLastTransitionTime(c.getLastTransitionTime()).build())
        .toList();
    return new ReplicationControllerStatusBuilder().withReplicas(s.getReplicas())
        .withFullyLabeledReplicas(s.getFullyLabeledReplicas()).withReadyReplicas(s.getReadyReplicas())
        .withAvailableReplicas(s.getAvailableReplicas()).withObservedGeneration(s.getObservedGeneration())
        .withConditions(conditions).build();
  }
}
