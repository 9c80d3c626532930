package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.Objects;

/**
 * Routes pod events as upstream's {@code addAllEventHandlers}: bound pods (with
 * {@code spec.nodeName}) go to the {@link SchedulerCache}, where they confirm assumed pods and take
 * room on their node; pending pods of this scheduler's name go to the {@link SchedulingQueue}.
 * Finished pods (Succeeded, Failed) hold no room and leave the cache. Each event costs O(1) work
 * plus the queue's own moves; status-only updates of pending pods do not requeue them.
 */
final class PodEventHandler implements ResourceEventHandler<Pod> {

    private static final ClusterEvent ASSIGNED_POD_ADD = new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.ADD);
    private static final ClusterEvent ASSIGNED_POD_LABEL = new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.UPDATE_POD_LABEL);

    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final String schedulerName;

    PodEventHandler(SchedulerCache cache, SchedulingQueue queue, String schedulerName) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
    }

    @Override
    public void onAdd(Pod pod) {
        if (isBound(pod)) {
            if (!isFinished(pod)) {
                cache.addOrUpdateBoundPod(PodInfo.of(pod), pod.getSpec().getNodeName());
                queue.onClusterEvent(ASSIGNED_POD_ADD);
            }
        } else if (isOurs(pod) && !isFinished(pod)) {
            queue.add(pod);
        }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
        if (isBound(pod)) {
            if (!isBound(old)) {
                queue.delete(PodInfo.keyOf(pod));
            }
            if (isFinished(pod)) {
                if (cache.contains(PodInfo.keyOf(pod))) {
                    cache.removePod(PodInfo.keyOf(pod));
                    queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
                }
                return;
            }
            cache.addOrUpdateBoundPod(PodInfo.of(pod), pod.getSpec().getNodeName());
            if (!isBound(old)) {
                queue.onClusterEvent(ASSIGNED_POD_ADD);
            } else if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
                queue.onClusterEvent(ASSIGNED_POD_LABEL);
            }
        } else if (isOurs(pod)) {
            if (isFinished(pod)) {
                queue.delete(PodInfo.keyOf(pod));
            } else if (specOrMetadataChanged(old, pod)) {
                queue.update(pod);
            } else {
                queue.refresh(pod);
            }
        }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        String key = PodInfo.keyOf(pod);
        queue.delete(key);
        if (cache.contains(key)) {
            cache.removePod(key);
            queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        }
    }

    private boolean isOurs(Pod pod) {
        String name = pod.getSpec().getSchedulerName();
        return schedulerName.equals(name == null || name.isEmpty() ? "default-scheduler" : name);
    }

    static boolean isBound(Pod pod) {
        String node = pod.getSpec().getNodeName();
        return node != null && !node.isEmpty();
    }

    static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Upstream's {@code isPodUpdated}: what the scheduler itself writes (status) is not a reason to retry. */
    private static boolean specOrMetadataChanged(Pod old, Pod pod) {
        return !Objects.equals(old.getSpec(), pod.getSpec())
                || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())
                || !Objects.equals(old.getMetadata().getAnnotations(), pod.getMetadata().getAnnotations())
                || !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp());
    }
}
