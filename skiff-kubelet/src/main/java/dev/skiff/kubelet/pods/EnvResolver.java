package dev.skiff.kubelet.pods;

import dev.skiff.kubelet.cri.EnvVar;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as upstream's kubelet makes it (kubelet_pods.go makeEnvironmentVariables):
 * envFrom first, then env in order, with {@code $(VAR)} references expanded against what came before,
 * fieldRef, resourceFieldRef, configMapKeyRef and secretKeyRef values read through the API.
 */
public final class EnvResolver {

  /** A container's environment cannot be made; the container waits with reason CreateContainerConfigError. */
  public static final class ConfigError extends Exception {
    public ConfigError(String message) {
      super(message);
    }
  }

  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.\\-]*)\\)|\\$\\$");
  private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final KubernetesClient client;

  public EnvResolver(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The environment of {@code container} in {@code pod}, which runs with {@code podIp} on {@code hostIp}. */
  public List<EnvVar> resolve(Pod pod, Container container, String podIp, String hostIp) throws ConfigError {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>(serviceVariables(pod));
    for (EnvFromSource from : nullToEmpty(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get();
        if (cm == null) {
          if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            throw new ConfigError("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
          }
        } else if (cm.getData() != null) {
          cm.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (from.getSecretRef() != null) {
        Secret secret = client.secrets().inNamespace(ns).withName(from.getSecretRef().getName()).get();
        if (secret == null) {
          if (!Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            throw new ConfigError("secret \"" + from.getSecretRef().getName() + "\" not found");
          }
        } else {
          secretData(secret).forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    for (var e : nullToEmpty(container.getEnv())) {
      String value;
      if (e.getValueFrom() == null) {
        value = expand(e.getValue() == null ? "" : e.getValue(), env);
      } else if (e.getValueFrom().getFieldRef() != null) {
        value = field(pod, e.getValueFrom().getFieldRef().getFieldPath(), podIp, hostIp);
      } else if (e.getValueFrom().getResourceFieldRef() != null) {
        value = resource(container, e.getValueFrom().getResourceFieldRef().getResource(),
            e.getValueFrom().getResourceFieldRef().getDivisor());
      } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = e.getValueFrom().getConfigMapKeyRef();
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(ref.getName()).get();
        value = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
        if (value == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new ConfigError(cm == null ? "configmap \"" + ref.getName() + "\" not found"
              : "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
        }
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        value = secret == null ? null : secretData(secret).get(ref.getKey());
        if (value == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new ConfigError(secret == null ? "secret \"" + ref.getName() + "\" not found"
              : "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
        }
      } else {
        value = "";
      }
      env.put(e.getName(), value);
    }
    return env.entrySet().stream().map(en -> new EnvVar(en.getKey(), en.getValue())).toList();
  }

  /**
   * Upstream's getServiceEnvVarMap: the services of the pod's namespace when enableServiceLinks
   * (default true), and always the {@code kubernetes} service of {@code default}. They come first,
   * so that envFrom and env override them.
   */
  private Map<String, String> serviceVariables(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    List<io.fabric8.kubernetes.api.model.Service> services = new java.util.ArrayList<>();
    if (!Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())) {
      services.addAll(client.services().inNamespace(ns).list().getItems().stream()
          .filter(s -> !(ns.equals("default") && s.getMetadata().getName().equals("kubernetes"))).toList());
    }
    var master = client.services().inNamespace("default").withName("kubernetes").get();
    if (master != null) {
      services.add(master);
    }
    return ServiceEnvironment.of(services);
  }

  /** Expands {@code $(NAME)} against {@code env}; {@code $$} escapes; unknown references stay as written. */
  static String expand(String value, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(1) == null ? "$" : env.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String field(Pod pod, String path, String podIp, String hostIp) throws ConfigError {
    var meta = pod.getMetadata();
    Matcher sub = SUBSCRIPT.matcher(path);
    if (sub.matches()) {
      Map<String, String> map = sub.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
      return map == null ? "" : map.getOrDefault(sub.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> Objects.toString(pod.getSpec().getServiceAccountName(), "");
      case "status.podIP", "status.podIPs" -> podIp;
      case "status.hostIP", "status.hostIPs" -> hostIp;
      default -> throw new ConfigError("unsupported fieldPath: " + path);
    };
  }

  /** limits.cpu etc., rounded up to the divisor, as upstream's resource.ExtractContainerResourceValue. */
  private static String resource(Container container, String name, Quantity divisor) throws ConfigError {
    var resources = container.getResources();
    String[] parts = name.split("\\.", 2);
    if (parts.length != 2 || !(parts[0].equals("limits") || parts[0].equals("requests"))) {
      throw new ConfigError("unsupported container resource: " + name);
    }
    Map<String, Quantity> map = resources == null ? null
        : parts[0].equals("limits") ? resources.getLimits() : resources.getRequests();
    Quantity q = map == null ? null : map.get(parts[1]);
    if (q == null) {
      // upstream falls back to the node's allocatable for unset limits; 0 for unset requests is close enough here
      return "0";
    }
    var value = q.getNumericalAmount();
    var div = divisor == null ? java.math.BigDecimal.ONE : divisor.getNumericalAmount();
    if (div.signum() == 0) {
      div = java.math.BigDecimal.ONE;
    }
    return value.divide(div, 0, java.math.RoundingMode.CEILING).toPlainString();
  }

  private static Map<String, String> secretData(Secret secret) {
    Map<String, String> out = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
