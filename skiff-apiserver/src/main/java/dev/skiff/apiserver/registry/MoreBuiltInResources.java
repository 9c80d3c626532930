package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.registry.apps.ControllerRevisionStrategy;
import dev.skiff.apiserver.registry.apps.DaemonSetStrategy;
import dev.skiff.apiserver.registry.apps.StatefulSetStrategy;
import dev.skiff.apiserver.registry.autoscaling.HorizontalPodAutoscalerStrategy;
import dev.skiff.apiserver.registry.batch.CronJobStrategy;
import dev.skiff.apiserver.registry.batch.JobStrategy;
import dev.skiff.apiserver.registry.core.PersistentVolumeClaimStrategy;
import dev.skiff.apiserver.registry.core.PersistentVolumeStrategy;
import dev.skiff.apiserver.registry.core.PolicyObjectResources;
import dev.skiff.apiserver.registry.core.ReplicationControllerStrategy;
import dev.skiff.apiserver.registry.networking.NetworkingResources;
import dev.skiff.apiserver.registry.node.RuntimeClassStrategy;
import dev.skiff.apiserver.registry.policy.PodDisruptionBudgetStrategy;
import dev.skiff.apiserver.registry.scheduling.PriorityClassStrategy;
import dev.skiff.apiserver.registry.storage.StorageClassStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in kinds beyond the first set: the rest of core/v1, apps/v1, batch/v1,
 * autoscaling/v2, networking.k8s.io/v1, policy/v1, scheduling.k8s.io/v1, storage.k8s.io/v1 and
 * node.k8s.io/v1. Kept apart from {@link BuiltInResources} so that kinds can be added here without
 * touching the list others edit.
 */
final class MoreBuiltInResources {
  private MoreBuiltInResources() {}

  static List<ResourceStrategy> strategies() {
    List<ResourceStrategy> all = new ArrayList<>();
    all.add(new PersistentVolumeStrategy());
    all.add(new PersistentVolumeClaimStrategy());
    all.add(new ReplicationControllerStrategy());
    all.addAll(PolicyObjectResources.strategies());
    all.add(new StatefulSetStrategy());
    all.add(new DaemonSetStrategy());
    all.add(new ControllerRevisionStrategy());
    all.add(new JobStrategy());
    all.add(new CronJobStrategy());
    all.add(new HorizontalPodAutoscalerStrategy());
    // after v2, so that discovery prefers v2 (the order of registration is the order of preference)
    all.add(new dev.skiff.apiserver.registry.autoscaling.HorizontalPodAutoscalerV1Strategy());
    all.addAll(NetworkingResources.strategies());
    all.add(new PodDisruptionBudgetStrategy());
    all.add(new PriorityClassStrategy());
    all.add(new StorageClassStrategy());
    all.add(new RuntimeClassStrategy());
    all.add(new dev.skiff.apiserver.registry.events.EventsV1Strategy());
    return all;
  }
}
