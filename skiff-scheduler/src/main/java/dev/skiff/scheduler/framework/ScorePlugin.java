package dev.skiff.scheduler.framework;

/**
 * Ranks one feasible node. Scores must lie in [0, {@link #MAX_NODE_SCORE}] after normalization;
 * the framework then multiplies them by the plugin's weight in the profile and adds them up.
 * Only reads; may be called from several threads of one cycle.
 */
public interface ScorePlugin extends Plugin {

    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    /** The raw score, or throws {@link ScoreException} for an internal fault. */
    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Thrown by {@link #score} for an internal fault; the cycle then fails with Error. */
    final class ScoreException extends RuntimeException {
        public ScoreException(String message) {
            super(message);
        }
    }
}
