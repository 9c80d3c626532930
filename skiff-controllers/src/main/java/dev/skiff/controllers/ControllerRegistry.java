package dev.skiff.controllers;

import dev.skiff.controllers.cronjob.CronJobController;
import dev.skiff.controllers.daemon.DaemonSetController;
import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.disruption.DisruptionController;
import dev.skiff.controllers.endpoint.EndpointsController;
import dev.skiff.controllers.endpointslice.EndpointSliceController;
import dev.skiff.controllers.endpointslicemirroring.EndpointSliceMirroringController;
import dev.skiff.controllers.garbagecollector.GarbageCollector;
import dev.skiff.controllers.job.JobController;
import dev.skiff.controllers.namespace.NamespaceController;
import dev.skiff.controllers.nodeipam.NodeIpamController;
import dev.skiff.controllers.nodelifecycle.NodeLifecycleController;
import dev.skiff.controllers.podautoscaler.HorizontalPodAutoscalerController;
import dev.skiff.controllers.podgc.PodGarbageCollector;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.replication.ReplicationControllerController;
import dev.skiff.controllers.resourcequota.ResourceQuotaController;
import dev.skiff.controllers.rootcacertpublisher.RootCaCertPublisher;
import dev.skiff.controllers.serviceaccount.ServiceAccountController;
import dev.skiff.controllers.serviceaccounttoken.TokensController;
import dev.skiff.controllers.statefulset.StatefulSetController;
import dev.skiff.controllers.ttlafterfinished.TtlAfterFinishedController;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Every controller the manager can run, by upstream name, in start order. */
public final class ControllerRegistry {
  private ControllerRegistry() {}

  public static Map<String, Function<ControllerContext, Controller>> factories() {
    Map<String, Function<ControllerContext, Controller>> all = new LinkedHashMap<>();
    all.put(ReplicaSetController.NAME, ReplicaSetController::new);
    all.put(DeploymentController.NAME, DeploymentController::new);
    all.put(GarbageCollector.NAME, GarbageCollector::new);
    all.put(ReplicationControllerController.NAME, ReplicationControllerController::new);
    all.put(StatefulSetController.NAME, StatefulSetController::new);
    all.put(DaemonSetController.NAME, DaemonSetController::new);
    all.put(NamespaceController.NAME, NamespaceController::new);
    all.put(ServiceAccountController.NAME, ServiceAccountController::new);
    all.put(RootCaCertPublisher.NAME, RootCaCertPublisher::new);
    all.put(TokensController.NAME, TokensController::new);
    all.put(EndpointsController.NAME, EndpointsController::new);
    all.put(EndpointSliceController.NAME, EndpointSliceController::new);
    all.put(EndpointSliceMirroringController.NAME, EndpointSliceMirroringController::new);
    all.put(NodeIpamController.NAME, NodeIpamController::new);
    all.put(NodeLifecycleController.NAME, NodeLifecycleController::new);
    all.put(JobController.NAME, JobController::new);
    all.put(CronJobController.NAME, CronJobController::new);
    all.put(TtlAfterFinishedController.NAME, TtlAfterFinishedController::new);
    all.put(PodGarbageCollector.NAME, PodGarbageCollector::new);
    all.put(ResourceQuotaController.NAME, ResourceQuotaController::new);
    all.put(HorizontalPodAutoscalerController.NAME, HorizontalPodAutoscalerController::new);
    all.put(DisruptionController.NAME, DisruptionController::new);
    return all;
  }

  public static Set<String> names() {
    return factories().keySet();
  }
}
