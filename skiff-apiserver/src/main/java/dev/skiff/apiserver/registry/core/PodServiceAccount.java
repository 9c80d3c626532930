package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.apiserver.registry.ObjectLookup;
import dev.skiff.apiserver.registry.ParsedByRevision;
import dev.skiff.apiserver.registry.RandomSource;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ServiceAccount admission for pod creates: the pod's account must exist (403
 * otherwise), and unless the pod or its account turns automounting off, the pod gets a projected
 * {@code kube-api-access-XXXXX} volume (a bound token refreshed by the kubelet, the cluster CA from
 * {@code kube-root-ca.crt}, the namespace) mounted read-only at {@value #MOUNT_PATH} in every
 * container and init container that has nothing mounted there. Mirror pods are left alone.
 */
final class PodServiceAccount {
  static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  private static final String VOLUME_PREFIX = "kube-api-access-";
  /** The kubelet's token lifetime, which the API server extends (see TokenRequests). */
  private static final int TOKEN_EXPIRATION_SECONDS = 3607;
  private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final ObjectLookup lookup;
  private final ObjectCodec accounts = new ObjectCodec(ServiceAccountResource.DEFINITION);
  /** Every pod of a namespace reads the same account: parsed once per revision. */
  private final ParsedByRevision parsed = new ParsedByRevision();

  /** @param lookup where accounts are read: the watch cache, else the store (one just created is found) */
  PodServiceAccount(ObjectLookup lookup) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  /** @throws StatusError 403 when the pod's service account does not exist */
  void admit(ObjectNode pod) {
    if (pod.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
      return;
    }
    ObjectNode spec = Json.objectAt(pod, "spec");
    String namespace = ObjectMeta.namespace(pod);
    String name = spec.path("serviceAccountName").asString("default");
    JsonNode account = find(namespace, name).orElseThrow(() -> new StatusError(403, "Forbidden",
        "pods \"%s\" is forbidden: error looking up service account %s/%s: serviceaccount \"%s\" not found"
            .formatted(ObjectMeta.name(pod), namespace, name, name), null));
    if (!automount(spec, account)) {
      return;
    }
    String volume = null;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        if (!(c instanceof ObjectNode container) || mountsTokenPath(container)) {
          continue;
        }
        if (volume == null) {
          volume = addVolume(spec);
        }
        ArrayNode mounts = container.path("volumeMounts") instanceof ArrayNode a ? a : container.putArray("volumeMounts");
        mounts.addObject().put("name", volume).put("readOnly", true).put("mountPath", MOUNT_PATH);
      }
    }
  }

  private static boolean automount(JsonNode spec, JsonNode account) {
    if (spec.path("automountServiceAccountToken").isBoolean()) {
      return spec.path("automountServiceAccountToken").asBoolean();
    }
    return account.path("automountServiceAccountToken").asBoolean(true);
  }

  private static boolean mountsTokenPath(JsonNode container) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (MOUNT_PATH.equals(m.path("mountPath").asString(""))) {
        return true;
      }
    }
    return false;
  }

  private static String addVolume(ObjectNode spec) {
    StringBuilder name = new StringBuilder(VOLUME_PREFIX).append(RandomSource.SHARED.chars(SUFFIX_CHARS, 5));
    ArrayNode volumes = spec.path("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes");
    ObjectNode projected = volumes.addObject().put("name", name.toString()).putObject("projected");
    projected.put("defaultMode", 420);
    ArrayNode sources = projected.putArray("sources");
    sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
        .put("path", "token");
    ObjectNode configMap = sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
    configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
    ObjectNode downward = sources.addObject().putObject("downwardAPI");
    downward.putArray("items").addObject().put("path", "namespace").putObject("fieldRef")
        .put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
    return name.toString();
  }

  private Optional<JsonNode> find(String namespace, String name) {
    return lookup.get(accounts, accounts.key(namespace, name)).map(parsed::tree);
  }
}
