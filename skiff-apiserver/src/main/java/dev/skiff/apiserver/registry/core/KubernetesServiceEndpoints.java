package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.GenericStore;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Endpoints and EndpointSlice of the {@code default/kubernetes} Service, as upstream's master
 * endpoints reconciler ({@code pkg/controlplane/reconcilers}) writes them: one address, the
 * advertised one, and one port, {@code https} (TCP) at the server's secure port. The Endpoints
 * carry {@code endpointslice.kubernetes.io/skip-mirror: "true"} (no mirroring controller copies
 * them); the slice, named {@code kubernetes} and labelled {@code kubernetes.io/service-name:
 * kubernetes}, is the one upstream's endpoints adapter derives from them (no managed-by label, so
 * the endpointslice controller leaves it, as it leaves the selector-less Service).
 *
 * <p>{@link #reconcile} runs at every start: it creates both, or rewrites them when the address
 * or port changed (a new machine address, another {@code --https-listen-port}), and writes nothing
 * when they are current. Stateless and safe to run again.
 */
public final class KubernetesServiceEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesServiceEndpoints.class);
  static final String NAMESPACE = "default";
  static final String NAME = "kubernetes";

  private final GenericStore endpoints;
  private final GenericStore slices;

  public KubernetesServiceEndpoints(GenericStore endpoints, GenericStore slices) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.slices = Objects.requireNonNull(slices, "slices");
  }

  /** Makes both objects publish {@code address}:{@code port}. */
  public void reconcile(String address, int port) {
    ensure(endpoints, endpointsOf(address, port));
    ensure(slices, sliceOf(address, port));
    LOG.info("default/kubernetes endpoints: {}:{}", address, port);
  }

  static ObjectNode endpointsOf(String address, int port) {
    ObjectNode ep = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
    ep.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
        .put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = ep.putArray("subsets").addObject();
    subset.putArray("addresses").addObject().put("ip", address);
    subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
    return ep;
  }

  static ObjectNode sliceOf(String address, int port) {
    ObjectNode slice = Json.object().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
    slice.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
        .put("kubernetes.io/service-name", NAME);
    slice.put("addressType", address.contains(":") ? "IPv6" : "IPv4");
    ObjectNode endpoint = slice.putArray("endpoints").addObject();
    endpoint.putArray("addresses").add(address);
    endpoint.putObject("conditions").put("ready", true);
    slice.putArray("ports").addObject().put("name", "https").put("protocol", "TCP").put("port", port);
    return slice;
  }

  /** Creates {@code desired}, or replaces what differs from it in the stored one (labels, content). */
  private static void ensure(GenericStore store, ObjectNode desired) {
    ObjectNode current;
    try {
      current = store.get(NAMESPACE, NAME);
    } catch (StatusError e) {
      if (e.code() != 404) {
        throw e;
      }
      try {
        store.create(NAMESPACE, desired.deepCopy(), false);
        return;
      } catch (StatusError raced) {
        if (raced.code() != 409) {
          throw raced;
        }
        current = store.get(NAMESPACE, NAME);
      }
    }
    if (matches(current, desired)) {
      return;
    }
    store.guaranteedUpdate(NAMESPACE, NAME, "", false, old -> {
      ObjectNode updated = desired.deepCopy();
      ObjectNode meta = (ObjectNode) old.get("metadata").deepCopy();
      ObjectNode labels = Json.objectAt(meta, "labels");
      labels.setAll((ObjectNode) desired.path("metadata").path("labels"));
      updated.set("metadata", meta);
      return updated;
    });
  }

  private static boolean matches(ObjectNode current, ObjectNode desired) {
    for (var field : desired.properties()) {
      String key = field.getKey();
      if (key.equals("metadata")) {
        for (var label : field.getValue().path("labels").properties()) {
          if (!current.path("metadata").path("labels").path(label.getKey()).equals(label.getValue())) {
            return false;
          }
        }
      } else if (!current.path(key).equals(field.getValue())) {
        return false;
      }
    }
    return true;
  }
}
