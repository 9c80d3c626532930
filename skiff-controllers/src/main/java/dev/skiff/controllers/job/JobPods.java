package dev.skiff.controllers.job;

import dev.skiff.controllers.base.OwnerReferences;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The pods of a Job: building them from the template, their completion index, the tracking finalizer. */
public final class JobPods {
  /** Upstream's {@code batch.kubernetes.io/job-tracking}: a finished pod stays until the Job has counted it. */
  public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  public static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private JobPods() {}

  /**
   * A new pod of {@code job}: the template's metadata and spec, the tracking finalizer, the Job as
   * controller; for an Indexed Job also the index as annotation, label, hostname
   * {@code <job>-<index>} and environment variable, as upstream's {@code addCompletionIndex*}.
   */
  public static Pod newPod(Job job, OptionalInt index) {
    var template = job.getSpec().getTemplate();
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(tm.getLabels() == null ? Map.of() : tm.getLabels());
    Map<String, String> annotations = new LinkedHashMap<>(tm.getAnnotations() == null ? Map.of() : tm.getAnnotations());
    List<String> finalizers = new ArrayList<>(tm.getFinalizers() == null ? List.of() : tm.getFinalizers());
    finalizers.add(TRACKING_FINALIZER);
    String name = job.getMetadata().getName();
    PodSpec spec = new PodSpecBuilder(template.getSpec()).build();
    String generateName = name + "-";
    if (index.isPresent()) {
      String i = Integer.toString(index.getAsInt());
      labels.put(COMPLETION_INDEX, i);
      annotations.put(COMPLETION_INDEX, i);
      generateName = name + "-" + i + "-";
      if (spec.getHostname() == null || spec.getHostname().isEmpty()) {
        spec.setHostname(name + "-" + i);
      }
      spec.setContainers(withIndexEnv(spec.getContainers()));
      spec.setInitContainers(withIndexEnv(spec.getInitContainers()));
    }
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder().withGenerateName(generateName).withNamespace(job.getMetadata().getNamespace())
            .withLabels(labels).withAnnotations(annotations).withFinalizers(finalizers)
            .withOwnerReferences(OwnerReferences.controllerRef(job)).build())
        .withSpec(spec).build();
  }

  private static List<Container> withIndexEnv(List<Container> containers) {
    if (containers == null) {
      return null;
    }
    EnvVar env = new EnvVarBuilder().withName(COMPLETION_INDEX_ENV).withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']").endFieldRef().endValueFrom().build();
    return containers.stream().map(c -> {
      if (c.getEnv() != null && c.getEnv().stream().anyMatch(e -> COMPLETION_INDEX_ENV.equals(e.getName()))) {
        return c;
      }
      return new ContainerBuilder(c).addToEnv(env).build();
    }).toList();
  }

  /** The pod's completion index from its annotation (or label), if it holds a valid one below {@code completions}. */
  public static OptionalInt index(Pod pod, int completions) {
    String v = Optional.ofNullable(pod.getMetadata().getAnnotations()).map(a -> a.get(COMPLETION_INDEX))
        .or(() -> Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(COMPLETION_INDEX))).orElse(null);
    if (v == null) {
      return OptionalInt.empty();
    }
    try {
      int i = Integer.parseInt(v);
      return i >= 0 && i < completions ? OptionalInt.of(i) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  public static boolean hasTrackingFinalizer(Pod pod) {
    return pod.getMetadata().getFinalizers() != null && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
  }

  /**
   * A JSON patch that drops the tracking finalizer, guarded by tests of the uid and of the current
   * list, so that a concurrent change of the finalizers fails the patch instead of being lost.
   */
  public static String removeFinalizerPatch(Pod pod) {
    List<String> now = pod.getMetadata().getFinalizers();
    List<String> left = new ArrayList<>(now);
    left.remove(TRACKING_FINALIZER);
    return JSON.asJson(List.of(
        Map.of("op", "test", "path", "/metadata/uid", "value", pod.getMetadata().getUid()),
        Map.of("op", "test", "path", "/metadata/finalizers", "value", now),
        Map.of("op", "replace", "path", "/metadata/finalizers", "value", left)));
  }

  public static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
