package dev.skiff.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Comparator;
import java.util.List;

/**
 * What endpoints sharing one EndpointSlice have in common: the address type and the ports the
 * Service's ports reach on them (a named targetPort may resolve differently per pod).
 */
public record SliceShape(String addressType, List<EndpointPort> ports) {
  public SliceShape {
    ports = ports.stream().sorted(Comparator.comparing((EndpointPort p) -> String.valueOf(p.getName()))
        .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())).toList();
  }

  public static SliceShape of(EndpointSlice slice) {
    return new SliceShape(slice.getAddressType(), slice.getPorts() == null ? List.of() : slice.getPorts());
  }

  public static String addressType(String ip) {
    return ip.contains(":") ? "IPv6" : "IPv4";
  }
}
