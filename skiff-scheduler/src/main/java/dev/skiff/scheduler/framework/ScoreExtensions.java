package dev.skiff.scheduler.framework;

/**
 * An optional ability of a {@link ScorePlugin}: bring its raw scores for all feasible nodes into
 * [0, 100] once every node was scored. Called once per cycle, on the scheduling thread.
 */
public interface ScoreExtensions {

    /** Rewrites {@code scores} (parallel to the feasible node list) in place. */
    void normalizeScore(CycleState state, PodInfo pod, long[] scores);

    /**
     * Upstream's {@code DefaultNormalizeScore}: scale so that the highest score becomes
     * {@code maxPriority}; when {@code reverse}, a high raw score becomes a low final one.
     */
    static void defaultNormalize(long maxPriority, boolean reverse, long[] scores) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        if (max == 0) {
            if (reverse) {
                java.util.Arrays.fill(scores, maxPriority);
            }
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = maxPriority * scores[i] / max;
            scores[i] = reverse ? maxPriority - s : s;
        }
    }
}
