package dev.skiff.controllers.endpointslice;

import dev.skiff.controllers.base.PodConditions;
import dev.skiff.controllers.endpoint.EndpointPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The endpoints of a Service's slices, grouped by {@link SliceShape}, as upstream's
 * {@code podToEndpoint}: every pod with an IP that has not finished, terminating ones included,
 * with conditions {@code serving} (the pod is Ready), {@code terminating} (it has a
 * deletionTimestamp) and {@code ready} (serving and not terminating, or always with
 * {@code publishNotReadyAddresses}); hostname, nodeName and a reference to the pod. Each group's
 * endpoints are sorted by address, so that an unchanged cluster yields equal slices.
 */
final class DesiredEndpoints {
  private DesiredEndpoints() {}

  static Map<SliceShape, List<Endpoint>> of(Service svc, List<Pod> pods) {
    boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    Map<SliceShape, List<Endpoint>> groups = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!EndpointPods.belongs(pod, true)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort sp : servicePorts) {
        OptionalInt port = EndpointPods.targetPort(pod, sp);
        if (port.isPresent()) {
          ports.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName())
              .withPort(port.getAsInt()).withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
              .withAppProtocol(sp.getAppProtocol()).build());
        }
      }
      if (ports.isEmpty() && !servicePorts.isEmpty()) {
        continue; // no port of the Service reaches this pod
      }
      String ip = EndpointPods.ip(pod);
      boolean serving = PodConditions.isReady(pod);
      boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
      EndpointBuilder endpoint = new EndpointBuilder().withAddresses(ip)
          .withNewConditions().withReady(publishNotReady || (serving && !terminating)).withServing(serving)
          .withTerminating(terminating).endConditions()
          .withNodeName(pod.getSpec().getNodeName()).withTargetRef(EndpointPods.reference(pod));
      EndpointPods.hostname(pod, svc).ifPresent(endpoint::withHostname);
      groups.computeIfAbsent(new SliceShape(SliceShape.addressType(ip), ports), s -> new ArrayList<>())
          .add(endpoint.build());
    }
    groups.values().forEach(l -> l.sort(Comparator.comparing(e -> e.getAddresses().getFirst())));
    return groups;
  }
}
