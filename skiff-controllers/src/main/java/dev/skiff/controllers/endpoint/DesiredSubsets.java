package dev.skiff.controllers.endpoint;

import dev.skiff.controllers.base.PodConditions;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The subsets of a Service's Endpoints from its pods, as upstream's endpoints controller builds
 * and repacks them: ready pods (all pods with {@code publishNotReadyAddresses}) in
 * {@code addresses}, the rest in {@code notReadyAddresses}; each address carries the pod's node,
 * hostname (when its subdomain names the Service) and a reference to it; a pod that does not
 * declare a named targetPort is left out of that port; addresses that reach the same ports share
 * one subset. A headless Service without ports lists addresses with no ports. Sorted, so that an
 * unchanged cluster yields an equal object and no write.
 */
final class DesiredSubsets {
  private DesiredSubsets() {}

  private record Member(EndpointAddress address, boolean ready, List<EndpointPort> ports) {}

  static List<EndpointSubset> of(Service svc, List<Pod> pods) {
    boolean tolerateUnready = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    List<Member> members = new ArrayList<>();
    for (Pod pod : pods) {
      if (!EndpointPods.belongs(pod, tolerateUnready)) {
        continue;
      }
      EndpointAddressBuilder address = new EndpointAddressBuilder().withIp(EndpointPods.ip(pod))
          .withNodeName(pod.getSpec().getNodeName()).withTargetRef(EndpointPods.reference(pod));
      EndpointPods.hostname(pod, svc).ifPresent(address::withHostname);
      boolean ready = tolerateUnready || PodConditions.isReady(pod);
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort sp : servicePorts) {
        OptionalInt port = EndpointPods.targetPort(pod, sp);
        if (port.isPresent()) {
          ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(port.getAsInt())
              .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).withAppProtocol(sp.getAppProtocol())
              .build());
        }
      }
      if (ports.isEmpty() && !(servicePorts.isEmpty() && EndpointPods.headless(svc))) {
        continue;
      }
      ports.sort(Comparator.comparing((EndpointPort p) -> String.valueOf(p.getName())).thenComparing(EndpointPort::getPort));
      members.add(new Member(address.build(), ready, ports));
    }
    // repack: one subset per distinct port list, keyed by its text for a stable order
    Map<String, EndpointSubsetBuilder> subsets = new TreeMap<>();
    Map<String, List<Member>> byPorts = new LinkedHashMap<>();
    members.sort(Comparator.comparing(m -> m.address().getIp()));
    for (Member m : members) {
      String key = m.ports().toString();
      byPorts.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
      subsets.computeIfAbsent(key, k -> new EndpointSubsetBuilder().withPorts(m.ports()));
    }
    List<EndpointSubset> out = new ArrayList<>();
    for (var e : subsets.entrySet()) {
      List<EndpointAddress> ready = byPorts.get(e.getKey()).stream().filter(Member::ready).map(Member::address).toList();
      List<EndpointAddress> notReady = byPorts.get(e.getKey()).stream().filter(m -> !m.ready()).map(Member::address).toList();
      EndpointSubsetBuilder b = e.getValue();
      if (!ready.isEmpty()) {
        b.withAddresses(ready);
      }
      if (!notReady.isEmpty()) {
        b.withNotReadyAddresses(notReady);
      }
      out.add(b.build());
    }
    return out;
  }
}
