package dev.skiff.controllers.endpointslicemirroring;

import dev.skiff.controllers.endpointslice.SliceShape;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What upstream's endpointslicemirroring reconciler derives from an Endpoints object: per address
 * type and set of ports, the subsets' addresses as endpoints ({@code ready} true for
 * {@code addresses}, false for {@code notReadyAddresses}), at most {@code maxPerSubset} addresses
 * taken from each subset, duplicates merged. Addresses that are not IPs are skipped and counted.
 *
 * @param endpoints the desired endpoints by slice shape, each list sorted by address
 * @param invalid addresses skipped because they are not IPs
 * @param overLimit addresses skipped because their subset had more than the limit
 */
record MirroredEndpoints(Map<SliceShape, List<Endpoint>> endpoints, int invalid, int overLimit) {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  static MirroredEndpoints of(Endpoints endpoints, int maxPerSubset) {
    Map<SliceShape, Set<Endpoint>> groups = new LinkedHashMap<>();
    int invalid = 0;
    int overLimit = 0;
    for (EndpointSubset subset : endpoints.getSubsets() == null ? List.<EndpointSubset>of() : endpoints.getSubsets()) {
      List<EndpointPort> ports = ports(subset);
      int added = 0;
      List<EndpointAddress> ready = orEmpty(subset.getAddresses());
      List<EndpointAddress> notReady = orEmpty(subset.getNotReadyAddresses());
      for (int i = 0; i < ready.size() + notReady.size(); i++) {
        if (added >= maxPerSubset) {
          overLimit += ready.size() + notReady.size() - i;
          break;
        }
        boolean isReady = i < ready.size();
        EndpointAddress address = isReady ? ready.get(i) : notReady.get(i - ready.size());
        Optional<String> ip = canonicalIp(address.getIp());
        if (ip.isEmpty()) {
          invalid++;
          continue;
        }
        groups.computeIfAbsent(new SliceShape(SliceShape.addressType(ip.get()), ports), s -> new LinkedHashSet<>())
            .add(endpoint(address, ip.get(), isReady));
        added++;
      }
    }
    Map<SliceShape, List<Endpoint>> sorted = new LinkedHashMap<>();
    groups.forEach((shape, set) -> sorted.put(shape, set.stream()
        .sorted(Comparator.comparing((Endpoint e) -> e.getAddresses().getFirst())
            .thenComparing(e -> String.valueOf(e.getConditions().getReady())))
        .limit(maxPerSubset).toList()));
    return new MirroredEndpoints(sorted, invalid, overLimit);
  }

  private static List<EndpointPort> ports(EndpointSubset subset) {
    List<EndpointPort> ports = new ArrayList<>();
    for (io.fabric8.kubernetes.api.model.EndpointPort p : orEmpty(subset.getPorts())) {
      ports.add(new EndpointPortBuilder().withName(p.getName() == null ? "" : p.getName()).withPort(p.getPort())
          .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol()).withAppProtocol(p.getAppProtocol()).build());
    }
    return ports;
  }

  private static Endpoint endpoint(EndpointAddress address, String ip, boolean ready) {
    EndpointBuilder e = new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(ready).endConditions()
        .withTargetRef(address.getTargetRef()).withNodeName(address.getNodeName());
    if (address.getHostname() != null && !address.getHostname().isEmpty()) {
      e.withHostname(address.getHostname());
    }
    return e.build();
  }

  /**
   * The address in canonical form if it is an IP literal. Parsed without any name lookup: an
   * IPv4 address may have leading zeros (as Go's ParseIPSloppy allows), an IPv6 one is handed to
   * {@link InetAddress} only once it holds nothing but hex digits, colons and dots.
   */
  static Optional<String> canonicalIp(String text) {
    if (text == null) {
      return Optional.empty();
    }
    var v4 = IPV4.matcher(text);
    if (v4.matches()) {
      StringBuilder out = new StringBuilder();
      for (int g = 1; g <= 4; g++) {
        int octet = Integer.parseInt(v4.group(g));
        if (octet > 255) {
          return Optional.empty();
        }
        out.append(g > 1 ? "." : "").append(octet);
      }
      return Optional.of(out.toString());
    }
    if (text.contains(":") && IPV6_CHARS.matcher(text).matches()) {
      try {
        InetAddress parsed = InetAddress.getByName(text);
        return Optional.of(parsed.getHostAddress().contains(":") ? text.toLowerCase(java.util.Locale.ROOT)
            : parsed.getHostAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
