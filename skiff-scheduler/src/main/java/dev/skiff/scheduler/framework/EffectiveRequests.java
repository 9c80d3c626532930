package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.List;

/**
 * A pod's effective resource request, computed the way upstream's {@code resourcehelper.PodRequests}
 * does: app containers add up; sidecar init containers ({@code restartPolicy: Always}) add to both
 * the running total and to every later init container's peak; the result is the larger of the
 * running total and the init peak, plus the pod overhead.
 */
public final class EffectiveRequests {

    /** What upstream charges a container with no CPU request when scoring (0.1 core). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** What upstream charges a container with no memory request when scoring (200 MiB). */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    private EffectiveRequests() {
    }

    /** The requests that Filter checks and that NodeInfo adds up. */
    public static Resources of(Pod pod) {
        return compute(pod, false);
    }

    /**
     * The requests that scoring uses: a container without a CPU or memory request is charged
     * the defaults above, so that best-effort pods still spread.
     */
    public static Resources nonZero(Pod pod) {
        return compute(pod, true);
    }

    private static Resources compute(Pod pod, boolean nonZero) {
        PodSpec spec = pod.getSpec();
        Resources reqs = Resources.ZERO;
        for (Container c : list(spec.getContainers())) {
            reqs = reqs.plus(containerRequests(c, nonZero));
        }
        Resources sidecars = Resources.ZERO;
        Resources initPeak = Resources.ZERO;
        for (Container c : list(spec.getInitContainers())) {
            Resources r = containerRequests(c, nonZero);
            Resources atThisStep;
            if ("Always".equals(c.getRestartPolicy())) {
                reqs = reqs.plus(r);
                sidecars = sidecars.plus(r);
                atThisStep = sidecars;
            } else {
                atThisStep = r.plus(sidecars);
            }
            initPeak = initPeak.max(atThisStep);
        }
        reqs = reqs.max(initPeak);
        if (spec.getOverhead() != null) {
            reqs = reqs.plus(Resources.of(spec.getOverhead()));
        }
        return reqs;
    }

    private static Resources containerRequests(Container c, boolean nonZero) {
        Resources r = c.getResources() == null ? Resources.ZERO : Resources.of(c.getResources().getRequests());
        if (!nonZero) {
            return r;
        }
        var requests = c.getResources() == null ? null : c.getResources().getRequests();
        boolean hasCpu = requests != null && requests.containsKey(Resources.CPU);
        boolean hasMem = requests != null && requests.containsKey(Resources.MEMORY);
        return new Resources(hasCpu ? r.milliCpu() : DEFAULT_MILLI_CPU_REQUEST,
                hasMem ? r.memory() : DEFAULT_MEMORY_REQUEST, r.ephemeralStorage(), r.scalars());
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
