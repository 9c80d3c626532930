package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.Store;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Hands out Service cluster IPs from 10.43.0.0/16 and node ports from 30000-32767, picking at random
 * among those no stored Service uses. 10.43.0.1 (the {@code kubernetes} Service) and 10.43.0.10
 * (cluster DNS) are never picked at random; they are taken only by asking for them.
 *
 * <p>Reads the stored Services on every call instead of keeping upstream's allocation bitmap: two
 * concurrent creates may, rarely, pick the same address. Thread-safe.
 */
public final class ServiceAddresses {
  public static final int NODE_PORT_MIN = 30000;
  public static final int NODE_PORT_MAX = 32767;
  private static final int SERVICE_NET = (10 << 24) | (43 << 16);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;

  public ServiceAddresses(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  private Iterable<JsonNode> services() {
    List<JsonNode> out = new ArrayList<>();
    for (KeyValue kv : store.range(RangeRequest.prefix(Bytes.of("/registry/services/"))).kvs()) {
      out.add(Json.parse(kv.value().unsafeArray()));
    }
    return out;
  }

  /** Whether {@code ip} lies in the service CIDR. */
  public static boolean inRange(String ip) {
    return toInt(ip) != null && (toInt(ip) & 0xffff0000) == SERVICE_NET;
  }

  public boolean clusterIpInUse(String ip) {
    for (JsonNode s : services()) {
      if (s.path("spec").path("clusterIP").asString("").equals(ip)) {
        return true;
      }
    }
    return false;
  }

  public String allocateClusterIp() {
    Set<String> used = new HashSet<>();
    services().forEach(s -> used.add(s.path("spec").path("clusterIP").asString("")));
    for (int attempt = 0; attempt < 100_000; attempt++) {
      int host = 11 + RANDOM.nextInt(65534 - 11);
      String ip = "10.43." + (host >> 8) + "." + (host & 0xff);
      if (!used.contains(ip)) {
        return ip;
      }
    }
    throw new IllegalStateException("the service CIDR is full");
  }

  public Set<Integer> nodePortsInUse() {
    Set<Integer> used = new HashSet<>();
    for (JsonNode s : services()) {
      for (JsonNode p : s.path("spec").path("ports")) {
        if (p.path("nodePort").asInt(0) > 0) {
          used.add(p.path("nodePort").asInt());
        }
      }
    }
    return used;
  }

  public int allocateNodePort(Set<Integer> alsoTaken) {
    Set<Integer> used = nodePortsInUse();
    used.addAll(alsoTaken);
    for (int attempt = 0; attempt < 100_000; attempt++) {
      int port = NODE_PORT_MIN + RANDOM.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
      if (!used.contains(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free node port");
  }

  private static Integer toInt(String ip) {
    String[] p = ip.split("\\.");
    if (p.length != 4) {
      return null;
    }
    int v = 0;
    for (String part : p) {
      try {
        int b = Integer.parseInt(part);
        if (b < 0 || b > 255) {
          return null;
        }
        v = (v << 8) | b;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return v;
  }
}
