package dev.skiff.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Data that plugins keep for the length of one pod's scheduling cycle (what PreFilter computed for
 * Filter, what PreScore computed for Score). Keys are typed. Not thread-safe: one cycle runs on one
 * thread. {@link #copy()} gives preemption a state it can change while trying victims.
 */
public final class CycleState {

    /** A typed key, equal by name and type; each plugin keeps its keys in constants named after itself. */
    public record Key<T extends StateData>(String name, Class<T> type) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** A value in the state; {@link #copy()} must return an independent copy for preemption's dry runs. */
    public interface StateData {
        StateData copy();
    }

    private final Map<Key<?>, StateData> values;
    private final Set<String> skipFilter;
    private final Set<String> skipScore;

    public CycleState() {
        this(new HashMap<>(), new HashSet<>(), new HashSet<>());
    }

    private CycleState(Map<Key<?>, StateData> values, Set<String> skipFilter, Set<String> skipScore) {
        this.values = values;
        this.skipFilter = skipFilter;
        this.skipScore = skipScore;
    }

    public <T extends StateData> void put(Key<T> key, T value) {
        values.put(key, Objects.requireNonNull(value, "value"));
    }

    /** The value under {@code key}; throws if absent, which means a plugin ran out of order. */
    public <T extends StateData> T get(Key<T> key) {
        StateData v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("no cycle state under " + key.name() + ": did its PreFilter/PreScore run?");
        }
        return key.type().cast(v);
    }

    public <T extends StateData> T getOrNull(Key<T> key) {
        return key.type().cast(values.get(key));
    }

    /** Plugins whose Filter is skipped this cycle (their PreFilter returned Skip). */
    public Set<String> skipFilterPlugins() {
        return skipFilter;
    }

    /** Plugins whose Score is skipped this cycle (their PreScore returned Skip). */
    public Set<String> skipScorePlugins() {
        return skipScore;
    }

    /** A deep copy: every value copied, the skip sets too. */
    public CycleState copy() {
        Map<Key<?>, StateData> copied = new HashMap<>();
        values.forEach((k, v) -> copied.put(k, v.copy()));
        return new CycleState(copied, new HashSet<>(skipFilter), new HashSet<>(skipScore));
    }
}
