package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keeps the protobuf schema complete: for every root kind, every JSON property of fabric8's model
 * class (kubernetes-model 8.0.0, generated from upstream's OpenAPI) must have a field in the
 * schema's message, recursively. A property the schema lacks would be silently dropped from a
 * protobuf request body, changing the object the client sent.
 */
class SchemaFidelityTest {
  private static final ProtoSchema SCHEMA = ProtoSchema.builtIn();

  /** Properties upstream's protobuf messages really do not carry (or that fabric8 adds), with why. */
  private static final Set<String> NOT_IN_PROTO = Set.of(
      // the envelope (runtime.Unknown's TypeMeta) carries apiVersion and kind, not the message
      "*.apiVersion", "*.kind",
      // alpha fields of Kubernetes releases after the generated.proto the schema was written from
      // (fabric8 8.0.0 models a newer API); their field numbers are not known here, and kubectl
      // 1.32's typed clients cannot send them
      "ClusterTrustBundleProjection.user", "ConfigMapVolumeSource.defaultUser", "DownwardAPIVolumeFile.user",
      "DownwardAPIVolumeSource.defaultUser", "EmptyDirVolumeSource.mode", "GRPCAction.mode",
      "HTTPGetAction.protocol", "HorizontalPodAutoscalerCondition.observedGeneration", "JobSpec.scheduling",
      "KeyToPath.user", "NodeSpec.podPreemptionPolicy", "NodeSystemInfo.runningInUserNamespace",
      "PersistentVolumeClaimStatus.healthStatus", "PodCertificateProjection.user", "PodSpec.evictionResponders",
      "PodSpec.schedulingGroup", "PodStatus.nodeAllocatableResourceClaimStatuses", "PodStatus.volumeHealth",
      "ProjectedVolumeSource.defaultUser", "SecretVolumeSource.defaultUser", "ServiceAccountTokenProjection.user",
      "TokenRequestSpec.attestations", "VolumeMount.bindMountOptions");

  private static final String MODEL = "io.fabric8.kubernetes.api.model.";

  /** The fabric8 class of each root apiVersion/kind. */
  private static final Map<String, String> CLASSES = Map.ofEntries(
      Map.entry("v1/Namespace", "Namespace"), Map.entry("v1/ConfigMap", "ConfigMap"),
      Map.entry("v1/Secret", "Secret"), Map.entry("v1/DeleteOptions", "DeleteOptions"),
      Map.entry("meta.k8s.io/v1/DeleteOptions", "DeleteOptions"), Map.entry("v1/Pod", "Pod"),
      Map.entry("v1/PodTemplate", "PodTemplate"), Map.entry("v1/Binding", "Binding"),
      Map.entry("v1/Service", "Service"), Map.entry("v1/Endpoints", "Endpoints"), Map.entry("v1/Node", "Node"),
      Map.entry("v1/PersistentVolumeClaim", "PersistentVolumeClaim"),
      Map.entry("v1/PersistentVolume", "PersistentVolume"),
      Map.entry("v1/ReplicationController", "ReplicationController"),
      Map.entry("v1/ResourceQuota", "ResourceQuota"), Map.entry("v1/LimitRange", "LimitRange"),
      Map.entry("v1/Event", "Event"), Map.entry("v1/ServiceAccount", "ServiceAccount"),
      Map.entry("apps/v1/Deployment", "apps.Deployment"), Map.entry("apps/v1/ReplicaSet", "apps.ReplicaSet"),
      Map.entry("apps/v1/StatefulSet", "apps.StatefulSet"), Map.entry("apps/v1/DaemonSet", "apps.DaemonSet"),
      Map.entry("apps/v1/ControllerRevision", "apps.ControllerRevision"),
      Map.entry("autoscaling/v1/Scale", "autoscaling.v1.Scale"),
      Map.entry("autoscaling/v1/HorizontalPodAutoscaler", "autoscaling.v1.HorizontalPodAutoscaler"),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", "autoscaling.v2.HorizontalPodAutoscaler"),
      Map.entry("batch/v1/Job", "batch.v1.Job"), Map.entry("batch/v1/CronJob", "batch.v1.CronJob"),
      Map.entry("rbac.authorization.k8s.io/v1/Role", "rbac.Role"),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", "rbac.ClusterRole"),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", "rbac.RoleBinding"),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", "rbac.ClusterRoleBinding"),
      Map.entry("scheduling.k8s.io/v1/PriorityClass", "scheduling.v1.PriorityClass"),
      Map.entry("policy/v1/PodDisruptionBudget", "policy.v1.PodDisruptionBudget"),
      Map.entry("policy/v1/Eviction", "policy.v1.Eviction"),
      Map.entry("networking.k8s.io/v1/Ingress", "networking.v1.Ingress"),
      Map.entry("networking.k8s.io/v1/IngressClass", "networking.v1.IngressClass"),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", "networking.v1.NetworkPolicy"),
      Map.entry("storage.k8s.io/v1/StorageClass", "storage.StorageClass"),
      Map.entry("coordination.k8s.io/v1/Lease", "coordination.v1.Lease"),
      Map.entry("discovery.k8s.io/v1/EndpointSlice", "discovery.v1.EndpointSlice"),
      Map.entry("events.k8s.io/v1/Event", "events.v1.Event"),
      Map.entry("authentication.k8s.io/v1/SelfSubjectReview", "authentication.SelfSubjectReview"),
      Map.entry("authentication.k8s.io/v1/TokenReview", "authentication.TokenReview"),
      Map.entry("authentication.k8s.io/v1/TokenRequest", "authentication.TokenRequest"),
      Map.entry("authorization.k8s.io/v1/SelfSubjectAccessReview", "authorization.v1.SelfSubjectAccessReview"),
      Map.entry("authorization.k8s.io/v1/SubjectAccessReview", "authorization.v1.SubjectAccessReview"),
      Map.entry("authorization.k8s.io/v1/LocalSubjectAccessReview", "authorization.v1.LocalSubjectAccessReview"),
      Map.entry("authorization.k8s.io/v1/SelfSubjectRulesReview", "authorization.v1.SelfSubjectRulesReview"));

  @Test
  void everyRootKindHasAModelClassToCheck() {
    assertThat(CLASSES.keySet()).containsExactlyInAnyOrderElementsOf(SCHEMA.roots().keySet());
  }

  @Test
  void everyModelPropertyOfEveryRootKindHasASchemaField() throws Exception {
    Set<String> missing = new TreeSet<>();
    Set<String> visited = new HashSet<>();
    for (Map.Entry<String, String> root : SCHEMA.roots().entrySet()) {
      String className = CLASSES.get(root.getKey());
      if (className == null) {
        continue;
      }
      walk(Class.forName(MODEL + className), SCHEMA.message(root.getValue()), visited, missing);
    }
    assertThat(missing).as("model properties without a protobuf field").isEmpty();
  }

  private static void walk(Class<?> model, ProtoMessage message, Set<String> visited, Set<String> missing) {
    if (!visited.add(model.getName() + "=" + message.name())) {
      return;
    }
    for (Field p : properties(model)) {
      String name = p.getAnnotation(JsonProperty.class).value();
      ProtoField f = find(message, name);
      if (f == null) {
        if (!NOT_IN_PROTO.contains("*." + name) && !NOT_IN_PROTO.contains(message.name() + "." + name)) {
          missing.add(message.name() + "." + name + " (" + model.getSimpleName() + ")");
        }
        continue;
      }
      Class<?> element = elementClass(p.getGenericType());
      if (f.message() != null && element != null && element.getName().startsWith(MODEL)) {
        ProtoMessage sub = SCHEMA.message(f.message());
        if (sub.special() == ProtoMessage.Special.NONE) {
          walk(element, sub, visited, missing);
        }
      }
    }
  }

  /** The field named {@code name}, looking through inline (embedded) messages too. */
  private static ProtoField find(ProtoMessage message, String name) {
    for (ProtoField f : message.fields().values()) {
      if (f.inline()) {
        ProtoField inner = find(SCHEMA.message(f.message()), name);
        if (inner != null) {
          return inner;
        }
      } else if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static List<Field> properties(Class<?> model) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = model; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        JsonProperty p = f.getAnnotation(JsonProperty.class);
        if (p != null && !p.value().isEmpty()) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** The class of a property, of a list's elements, or of a map's values. */
  private static Class<?> elementClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType pt) {
      Type[] args = pt.getActualTypeArguments();
      return elementClass(args[args.length - 1]);
    }
    return null;
  }
}
