package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * An amount of node resources, as upstream's {@code framework.Resource}: CPU in millicores,
 * memory and ephemeral storage in bytes, and every other named resource (extended resources,
 * hugepages) by name. Immutable; {@link #plus} and {@link #max} make new values.
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, Map<String, Long> scalars) {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public static final Resources ZERO = new Resources(0, 0, 0, Map.of());

    public Resources {
        scalars = Map.copyOf(scalars);
    }

    /** Converts an API resource list; {@code pods} is left out (nodes carry it separately). */
    public static Resources of(Map<String, Quantity> list) {
        if (list == null || list.isEmpty()) {
            return ZERO;
        }
        long cpu = 0;
        long mem = 0;
        long eph = 0;
        Map<String, Long> scalars = new HashMap<>();
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            switch (e.getKey()) {
                case CPU -> cpu = milliValue(e.getValue());
                case MEMORY -> mem = value(e.getValue());
                case EPHEMERAL_STORAGE -> eph = value(e.getValue());
                case PODS -> { }
                default -> scalars.put(e.getKey(), value(e.getValue()));
            }
        }
        return new Resources(cpu, mem, eph, scalars);
    }

    /** The quantity in thousandths, rounded up as upstream's {@code MilliValue}. */
    public static long milliValue(Quantity q) {
        return q == null ? 0 : q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The quantity rounded up to a whole number, as upstream's {@code Value}. */
    public static long value(Quantity q) {
        return q == null ? 0 : q.getNumericalAmount().setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public long scalar(String name) {
        return scalars.getOrDefault(name, 0L);
    }

    /** The amount of one named resource (cpu in millicores). */
    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            default -> scalar(name);
        };
    }

    public Resources plus(Resources o) {
        return combine(o, 1);
    }

    public Resources minus(Resources o) {
        return combine(o, -1);
    }

    private Resources combine(Resources o, int sign) {
        if (o == ZERO) {
            return this;
        }
        Map<String, Long> s = scalars;
        if (!o.scalars.isEmpty()) {
            s = new HashMap<>(scalars);
            for (Map.Entry<String, Long> e : o.scalars.entrySet()) {
                s.merge(e.getKey(), sign * e.getValue(), Long::sum);
            }
        }
        return new Resources(milliCpu + sign * o.milliCpu, memory + sign * o.memory,
                ephemeralStorage + sign * o.ephemeralStorage, s);
    }

    /** The larger of each resource. */
    public Resources max(Resources o) {
        Map<String, Long> s = scalars;
        if (!o.scalars.isEmpty()) {
            s = new HashMap<>(scalars);
            for (Map.Entry<String, Long> e : o.scalars.entrySet()) {
                s.merge(e.getKey(), e.getValue(), Math::max);
            }
        }
        return new Resources(Math.max(milliCpu, o.milliCpu), Math.max(memory, o.memory),
                Math.max(ephemeralStorage, o.ephemeralStorage), s);
    }

    public boolean isZero() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalars.values().stream().allMatch(v -> v == 0);
    }
}
