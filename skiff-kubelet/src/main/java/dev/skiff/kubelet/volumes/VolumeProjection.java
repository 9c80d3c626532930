package dev.skiff.kubelet.volumes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The files of configMap, secret, downwardAPI and projected volumes (upstream's
 * pkg/volume/{configmap,secret,downwardapi,projected}): every key, or only the listed items at
 * their paths, with defaultMode or the item's mode; ConfigMaps and Secrets read through the API
 * each time, so that a later sync shows their updates; service account tokens requested bound to
 * the pod and renewed when they get old.
 */
final class VolumeProjection {

  /** Upstream's default mode of every projected file. */
  static final int DEFAULT_MODE = 0644;

  private final KubernetesClient client;
  private final ServiceAccountTokenSource tokens;

  VolumeProjection(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.tokens = new ServiceAccountTokenSource(client, java.time.InstantSource.system());
  }

  /** Forgets what was fetched for a pod that is gone (its service account tokens). */
  void forget(String podUid) {
    tokens.forget(podUid);
  }

  Map<String, FileProjection> configMap(Pod pod, String name, List<KeyToPath> items, Boolean optional, int mode)
      throws VolumeError {
    ConfigMap cm = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (cm == null) {
      if (Boolean.TRUE.equals(optional)) {
        return Map.of();
      }
      throw new VolumeError("configmap \"" + name + "\" not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    if (cm.getData() != null) {
      cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (cm.getBinaryData() != null) {
      cm.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    return keys("configmap", name, data, items, optional, mode);
  }

  Map<String, FileProjection> secret(Pod pod, String name, List<KeyToPath> items, Boolean optional, int mode)
      throws VolumeError {
    Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (secret == null) {
      if (Boolean.TRUE.equals(optional)) {
        return Map.of();
      }
      throw new VolumeError("secret \"" + name + "\" not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return keys("secret", name, data, items, optional, mode);
  }

  private static Map<String, FileProjection> keys(String kind, String name, Map<String, byte[]> data,
      List<KeyToPath> items, Boolean optional, int mode) throws VolumeError {
    Map<String, FileProjection> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> files.put(k, new FileProjection(v, mode)));
      return files;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(optional)) {
          continue;
        }
        throw new VolumeError("configmap".equals(kind)
            ? "configmap references non-existent config key: " + item.getKey()
            : "references non-existent secret key: " + item.getKey() + " of " + name);
      }
      files.put(item.getPath(), new FileProjection(value, item.getMode() != null ? item.getMode() : mode));
    }
    return files;
  }

  /** A downwardAPI volume's items: labels and annotations as {@code key="value"} lines, fields, resources. */
  static Map<String, FileProjection> downwardApi(Pod pod, List<DownwardAPIVolumeFile> items, int mode)
      throws VolumeError {
    Map<String, FileProjection> files = new LinkedHashMap<>();
    for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
      String value;
      if (item.getFieldRef() != null) {
        value = field(pod, item.getFieldRef().getFieldPath());
      } else if (item.getResourceFieldRef() != null) {
        var ref = item.getResourceFieldRef();
        value = resource(pod, ref.getContainerName(), ref.getResource(), ref.getDivisor());
      } else {
        throw new VolumeError("downwardAPI item " + item.getPath() + " has neither fieldRef nor resourceFieldRef");
      }
      files.put(item.getPath(), new FileProjection(value.getBytes(StandardCharsets.UTF_8),
          item.getMode() != null ? item.getMode() : mode));
    }
    return files;
  }

  /** A projected volume: the union of its sources' files, later sources winning on the same path. */
  Map<String, FileProjection> projected(Pod pod, io.fabric8.kubernetes.api.model.ProjectedVolumeSource source)
      throws VolumeError {
    int mode = source.getDefaultMode() != null ? source.getDefaultMode() : DEFAULT_MODE;
    Map<String, FileProjection> files = new LinkedHashMap<>();
    for (var s : source.getSources() == null ? List.<io.fabric8.kubernetes.api.model.VolumeProjection>of()
        : source.getSources()) {
      if (s.getConfigMap() != null) {
        files.putAll(configMap(pod, s.getConfigMap().getName(), s.getConfigMap().getItems(),
            s.getConfigMap().getOptional(), mode));
      } else if (s.getSecret() != null) {
        files.putAll(secret(pod, s.getSecret().getName(), s.getSecret().getItems(), s.getSecret().getOptional(), mode));
      } else if (s.getDownwardAPI() != null) {
        files.putAll(downwardApi(pod, s.getDownwardAPI().getItems(), mode));
      } else if (s.getServiceAccountToken() != null) {
        files.put(s.getServiceAccountToken().getPath(),
            new FileProjection(tokens.token(pod, s.getServiceAccountToken()), mode));
      }
    }
    return files;
  }

  private static String field(Pod pod, String path) throws VolumeError {
    var meta = pod.getMetadata();
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "metadata.labels" -> keyValueLines(meta.getLabels());
      case "metadata.annotations" -> keyValueLines(meta.getAnnotations());
      default -> {
        var sub = java.util.regex.Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
        if (sub.matches()) {
          Map<String, String> map = sub.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
          yield map == null ? "" : map.getOrDefault(sub.group(2), "");
        }
        throw new VolumeError("unsupported downwardAPI fieldPath: " + path);
      }
    };
  }

  /** Upstream's FormatMap: sorted {@code key="value"} lines, the value quoted as Go's %q does. */
  static String keyValueLines(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    new TreeMap<>(map).forEach((k, v) -> out.append(k).append("=\"")
        .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"\n"));
    return out.substring(0, out.length() - 1);
  }

  private static String resource(Pod pod, String containerName, String resource, Quantity divisor)
      throws VolumeError {
    Container c = pod.getSpec().getContainers().stream()
        .filter(x -> containerName == null || containerName.isEmpty() || x.getName().equals(containerName))
        .findFirst().orElseThrow(() -> new VolumeError("no container " + containerName + " for resourceFieldRef"));
    String[] parts = resource.split("\\.", 2);
    if (parts.length != 2 || !(parts[0].equals("limits") || parts[0].equals("requests"))) {
      throw new VolumeError("unsupported container resource: " + resource);
    }
    var r = c.getResources();
    Map<String, Quantity> map = r == null ? null : parts[0].equals("limits") ? r.getLimits() : r.getRequests();
    Quantity q = map == null ? null : map.get(parts[1]);
    if (q == null) {
      return "0";
    }
    BigDecimal div = divisor == null || divisor.getNumericalAmount().signum() == 0 ? BigDecimal.ONE
        : divisor.getNumericalAmount();
    return q.getNumericalAmount().divide(div, 0, RoundingMode.CEILING).toPlainString();
  }
}
