package dev.skiff.scheduler.framework;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one plugin call. Expected outcomes (fits, does not fit, nothing to do) are values;
 * internal faults are {@link Error} values that carry their cause, so that one broken plugin fails
 * the pod's cycle rather than the scheduler.
 */
public sealed interface Status permits Status.Success, Status.Skip, Status.Unschedulable, Status.Error {

    /** The call succeeded. */
    record Success() implements Status {}

    /**
     * PreFilter or PreScore has nothing to do for this pod: the framework then skips the plugin's
     * Filter or Score for the whole cycle.
     */
    record Skip() implements Status {}

    /**
     * The pod does not fit. {@code reasons} are the person-readable texts counted in the
     * FailedScheduling message; {@code unresolvable} says that evicting pods cannot help (so
     * preemption skips the node); {@code plugin} is the rejecting plugin, filled in by the framework.
     */
    record Unschedulable(List<String> reasons, boolean unresolvable, String plugin) implements Status {
        public Unschedulable {
            reasons = List.copyOf(reasons);
        }

        /** This status, attributed to {@code pluginName} unless a plugin is already named. */
        public Unschedulable withPlugin(String pluginName) {
            return plugin != null ? this : new Unschedulable(reasons, unresolvable, pluginName);
        }
    }

    /** An internal fault; the pod is retried with back-off. */
    record Error(String message, Throwable cause) implements Status {
        public Error {
            Objects.requireNonNull(message, "message");
        }
    }

    Success SUCCESS = new Success();
    Skip SKIP = new Skip();

    /** A resolvable rejection (preemption may help). */
    static Unschedulable unschedulable(String... reasons) {
        return new Unschedulable(List.of(reasons), false, null);
    }

    /** A rejection that evicting pods cannot fix. */
    static Unschedulable unresolvable(String... reasons) {
        return new Unschedulable(List.of(reasons), true, null);
    }

    static Error error(String message) {
        return new Error(message, null);
    }

    default boolean isSuccess() {
        return this instanceof Success;
    }

    /** The reasons a person sees; empty for success and skip. */
    default List<String> reasons() {
        return switch (this) {
            case Success s -> List.of();
            case Skip s -> List.of();
            case Unschedulable u -> u.reasons();
            case Error e -> List.of(e.message());
        };
    }

    /** The reasons joined the way upstream's {@code Status.Message()} joins them. */
    default String message() {
        return String.join(", ", reasons());
    }
}
