package dev.skiff.simulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The statuses a kubelet posts for a pod whose containers start at once and never fail a probe:
 * Running with every container ready ({@link #running}), then, for a pod told to exit,
 * Succeeded or Failed with terminated containers ({@link #finished}). Conditions, reasons and
 * container fields follow upstream's {@code generateAPIPodStatus}; image and container IDs are
 * derived from the image name and pod uid, so they are stable across restarts of the simulator.
 */
final class PodStatuses {

    private PodStatuses() {
    }

    static PodStatus running(Pod pod, SimulatedNode node, String podIp, Instant now) {
        String t = SimulatedNode.time(now);
        String started = startTime(pod, t);
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            containers.add(containerStatus(pod, c, new ContainerStateBuilder().withNewRunning().withStartedAt(started).endRunning().build(), true));
        }
        return base(pod, node, podIp, started)
                .withPhase("Running")
                .withConditions(
                        condition("PodReadyToStartContainers", "True", null, null, t),
                        condition("Initialized", "True", null, null, t),
                        condition("Ready", "True", null, null, t),
                        condition("ContainersReady", "True", null, null, t),
                        scheduled(pod, t))
                .withContainerStatuses(containers)
                .build();
    }

    static PodStatus finished(Pod pod, SimulatedNode node, String podIp, int exitCode, Instant now) {
        String t = SimulatedNode.time(now);
        String started = startTime(pod, t);
        List<ContainerStatus> containers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            names.add(c.getName());
            containers.add(containerStatus(pod, c, new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
                    .withStartedAt(started).withFinishedAt(t).withContainerID(containerId(pod, c)).endTerminated().build(), false));
        }
        boolean succeeded = exitCode == 0;
        String reason = succeeded ? "PodCompleted" : "ContainersNotReady";
        String message = succeeded ? null : "containers with unready status: " + names.toString().replace(", ", " ");
        return base(pod, node, podIp, started)
                .withPhase(succeeded ? "Succeeded" : "Failed")
                .withConditions(
                        condition("PodReadyToStartContainers", "False", null, null, t),
                        condition("Initialized", "True", null, null, t),
                        condition("Ready", "False", reason, message, t),
                        condition("ContainersReady", "False", reason, message, t),
                        scheduled(pod, t))
                .withContainerStatuses(containers)
                .build();
    }

    private static PodStatusBuilder base(Pod pod, SimulatedNode node, String podIp, String started) {
        PodStatusBuilder b = new PodStatusBuilder()
                .withHostIP(node.internalIp()).withHostIPs(new io.fabric8.kubernetes.api.model.HostIP(node.internalIp()))
                .withPodIP(podIp).withPodIPs(new PodIP(podIp))
                .withStartTime(started)
                .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass());
        List<ContainerStatus> inits = new ArrayList<>();
        for (Container c : pod.getSpec().getInitContainers() == null ? List.<Container>of() : pod.getSpec().getInitContainers()) {
            inits.add(containerStatus(pod, c, new ContainerStateBuilder().withNewTerminated().withExitCode(0)
                    .withReason("Completed").withStartedAt(started).withFinishedAt(started)
                    .withContainerID(containerId(pod, c)).endTerminated().build(), false));
        }
        return inits.isEmpty() ? b : b.withInitContainerStatuses(inits);
    }

    private static ContainerStatus containerStatus(Pod pod, Container c, ContainerState state, boolean running) {
        String image = normalizedImage(c.getImage());
        return new ContainerStatusBuilder().withName(c.getName()).withState(state).withNewLastState().endLastState()
                .withReady(running).withStarted(running).withRestartCount(0)
                .withImage(image).withImageID(repository(image) + "@sha256:" + sha256(image))
                .withContainerID(containerId(pod, c)).build();
    }

    /** Keeps PodScheduled as the binding set it (its transition time is the scheduling time). */
    private static PodCondition scheduled(Pod pod, String t) {
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "True".equals(c.getStatus())) {
                    return c;
                }
            }
        }
        return condition("PodScheduled", "True", null, null, t);
    }

    private static String startTime(Pod pod, String now) {
        String s = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        return s == null || s.isEmpty() ? now : s;
    }

    private static PodCondition condition(String type, String status, String reason, String message, String t) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(t).build();
    }

    private static String containerId(Pod pod, Container c) {
        return "containerd://" + sha256(pod.getMetadata().getUid() + "/" + c.getName());
    }

    /** {@code nginx} becomes {@code docker.io/library/nginx:latest}, as containerd reports it. */
    static String normalizedImage(String image) {
        String ref = image == null ? "" : image;
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (!hasRegistry) {
            ref = "docker.io/" + (slash < 0 ? "library/" : "") + ref;
        }
        String last = ref.substring(ref.lastIndexOf('/') + 1);
        return last.contains(":") || last.contains("@") ? ref : ref + ":latest";
    }

    private static String repository(String normalized) {
        int at = normalized.indexOf('@');
        String noDigest = at < 0 ? normalized : normalized.substring(0, at);
        int colon = noDigest.lastIndexOf(':');
        return colon > noDigest.lastIndexOf('/') ? noDigest.substring(0, colon) : noDigest;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
