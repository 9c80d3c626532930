package dev.skiff.scheduler.api;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** Taint/toleration matching as upstream's {@code v1helper.TolerationsTolerateTaint}. */
public final class TolerationMatcher {

    private TolerationMatcher() {
    }

    /** True when the toleration tolerates the taint (effect, key, operator and value all agree). */
    public static boolean tolerates(Toleration t, Taint taint) {
        if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
            return false;
        }
        String key = t.getKey() == null ? "" : t.getKey();
        String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
        if (!key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        // an empty key with Exists tolerates every taint; an empty key with Equal tolerates none
        return switch (op) {
            case "Exists" -> true;
            case "Equal" -> !key.isEmpty() && Objects.equals(nullToEmpty(t.getValue()), nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration t : tolerations) {
            if (tolerates(t, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first taint passing {@code filter} that no toleration tolerates. */
    public static Optional<Taint> firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
        if (taints == null) {
            return Optional.empty();
        }
        for (Taint taint : taints) {
            if (filter.test(taint) && !tolerated(tolerations, taint)) {
                return Optional.of(taint);
            }
        }
        return Optional.empty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
