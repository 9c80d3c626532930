package dev.skiff.scheduler.framework;

import java.util.List;
import java.util.Objects;

/**
 * A scheduler profile: its name (matched against {@code spec.schedulerName}) and the enabled
 * plugins in order. Like upstream's multi-point configuration, each plugin joins every extension
 * point whose interface it implements; {@code weight} applies to its Score.
 */
public record Profile(String schedulerName, List<Entry> plugins, int percentageOfNodesToScore) {

    /** One enabled plugin and its score weight. */
    public record Entry(String name, int weight) {
        public Entry {
            Objects.requireNonNull(name, "name");
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight for " + name);
            }
        }
    }

    public Profile {
        Objects.requireNonNull(schedulerName, "schedulerName");
        plugins = List.copyOf(plugins);
        if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore must be 0 (adaptive) to 100");
        }
    }

    public Profile withPercentageOfNodesToScore(int percentage) {
        return new Profile(schedulerName, plugins, percentage);
    }
}
