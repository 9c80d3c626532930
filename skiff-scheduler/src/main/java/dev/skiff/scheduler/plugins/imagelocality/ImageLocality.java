package dev.skiff.scheduler.plugins.imagelocality;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;

/**
 * Favors nodes that already hold the pod's images, weighted by image size and by how widely the
 * image is spread (an image present everywhere gives no preference), as upstream: the sum of
 * {@code size * nodesWithImage / allNodes} is mapped linearly from [23 MB, 1000 MB * containers]
 * onto [0, 100].
 */
public final class ImageLocality implements PreScorePlugin, ScorePlugin {

    public static final String NAME = "ImageLocality";
    static final long MB = 1024 * 1024;
    static final long MIN_THRESHOLD = 23 * MB;
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    private static final CycleState.Key<Images> KEY = new CycleState.Key<>(NAME + "/preScore", Images.class);

    /** The pod's normalized image names and what the snapshot says about their spread. */
    record Images(List<String> names, int[] nodesWith, int totalNodes, int containers) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Adds {@code :latest} to an image without tag or digest, as upstream's {@code normalizedImageName}. */
    static String normalize(String image) {
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        if (!last.contains(":") && !last.contains("@")) {
            return image + ":latest";
        }
        return image;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, Snapshot snapshot) {
        List<String> names = new ArrayList<>();
        List<Container> containers = new ArrayList<>();
        if (pod.pod().getSpec().getInitContainers() != null) {
            containers.addAll(pod.pod().getSpec().getInitContainers());
        }
        containers.addAll(pod.pod().getSpec().getContainers());
        for (Container c : containers) {
            if (c.getImage() != null) {
                names.add(normalize(c.getImage()));
            }
        }
        int[] counts = new int[names.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = snapshot.nodesWithImage(names.get(i));
        }
        // init containers count too, in the images and in the threshold, as upstream v1.32
        state.put(KEY, new Images(names, counts, snapshot.size(), containers.size()));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Images imgs = state.get(KEY);
        long sum = 0;
        for (int i = 0; i < imgs.names().size(); i++) {
            Long size = node.imageSizes().get(imgs.names().get(i));
            if (size != null && imgs.totalNodes() > 0) {
                sum += (long) (size * ((double) imgs.nodesWith()[i] / imgs.totalNodes()));
            }
        }
        long max = MAX_CONTAINER_THRESHOLD * Math.max(1, imgs.containers());
        long clamped = Math.max(MIN_THRESHOLD, Math.min(sum, max));
        return MAX_NODE_SCORE * (clamped - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
    }
}
