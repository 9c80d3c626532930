package dev.skiff.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * A kind whose objects the quota controller counts, by API group and resource (the names of
 * {@code count/<resource>.<group>}). Upstream counts every served resource through dynamic
 * informers; Skiff counts these typed kinds, which cover the names users put in quotas.
 */
record TrackedKind(Class<? extends HasMetadata> type, String group, String resource) {
  static final List<TrackedKind> ALL = List.of(
      new TrackedKind(Pod.class, "", "pods"),
      new TrackedKind(Service.class, "", "services"),
      new TrackedKind(ConfigMap.class, "", "configmaps"),
      new TrackedKind(Secret.class, "", "secrets"),
      new TrackedKind(PersistentVolumeClaim.class, "", "persistentvolumeclaims"),
      new TrackedKind(ReplicationController.class, "", "replicationcontrollers"),
      new TrackedKind(ResourceQuota.class, "", "resourcequotas"),
      new TrackedKind(Deployment.class, "apps", "deployments"),
      new TrackedKind(ReplicaSet.class, "apps", "replicasets"),
      new TrackedKind(StatefulSet.class, "apps", "statefulsets"),
      new TrackedKind(DaemonSet.class, "apps", "daemonsets"),
      new TrackedKind(Job.class, "batch", "jobs"),
      new TrackedKind(CronJob.class, "batch", "cronjobs"));
}
