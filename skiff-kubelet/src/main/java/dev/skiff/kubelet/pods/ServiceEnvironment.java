package dev.skiff.kubelet.pods;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service environment variables of a container (upstream's pkg/kubelet/envvars FromServices):
 * for each service with a ClusterIP, {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT},
 * {@code <NAME>_SERVICE_PORT_<PORTNAME>} per named port, and the Docker-link style
 * {@code <NAME>_PORT}, {@code <NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]}; names upper-cased
 * with '-' as '_'. Headless services and services without ports give nothing.
 */
final class ServiceEnvironment {

  private ServiceEnvironment() {}

  /** The variables of {@code services}, in their order (later services win on a clash). */
  static Map<String, String> of(List<Service> services) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Service s : services) {
      var spec = s.getSpec();
      String ip = spec == null ? null : spec.getClusterIP();
      if (ip == null || ip.isEmpty() || ip.equals("None") || spec.getPorts() == null || spec.getPorts().isEmpty()) {
        continue;
      }
      String name = envName(s.getMetadata().getName());
      ServicePort first = spec.getPorts().getFirst();
      env.put(name + "_SERVICE_HOST", ip);
      env.put(name + "_SERVICE_PORT", Integer.toString(first.getPort()));
      for (ServicePort p : spec.getPorts()) {
        if (p.getName() != null && !p.getName().isEmpty()) {
          env.put(name + "_SERVICE_PORT_" + envName(p.getName()), Integer.toString(p.getPort()));
        }
      }
      env.put(name + "_PORT", url(first, ip));
      for (ServicePort p : spec.getPorts()) {
        String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol().toUpperCase(Locale.ROOT);
        String prefix = name + "_PORT_" + p.getPort() + "_" + protocol;
        env.put(prefix, url(p, ip));
        env.put(prefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
        env.put(prefix + "_PORT", Integer.toString(p.getPort()));
        env.put(prefix + "_ADDR", ip);
      }
    }
    return env;
  }

  private static String url(ServicePort p, String ip) {
    String protocol = p.getProtocol() == null ? "tcp" : p.getProtocol().toLowerCase(Locale.ROOT);
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return protocol + "://" + host + ":" + p.getPort();
  }

  private static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
