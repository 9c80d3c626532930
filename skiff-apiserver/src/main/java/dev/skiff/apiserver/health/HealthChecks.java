package dev.skiff.apiserver.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The named checks behind {@code /healthz}, {@code /livez} and {@code /readyz}, printed as upstream
 * prints them: "ok", or with {@code ?verbose} one {@code [+]name ok} / {@code [-]name failed: reason
 * withheld} line per check and a closing "ENDPOINT check passed|failed". Thread-safe.
 */
public final class HealthChecks {
  /** One check: a name and a probe that returns null when healthy, else why not. */
  public record Check(String name, Supplier<String> probe) {}

  /** The body and HTTP status of one health request. */
  public record Report(int status, String body) {}

  private final Map<String, List<Check>> byEndpoint = new LinkedHashMap<>();

  public HealthChecks(List<Check> liveness, List<Check> readinessOnly) {
    byEndpoint.put("healthz", List.copyOf(liveness));
    byEndpoint.put("livez", List.copyOf(liveness));
    byEndpoint.put("readyz", Stream.concat(liveness.stream(), readinessOnly.stream()).toList());
  }

  /**
   * Runs the checks of {@code endpoint} ({@code healthz}, {@code livez}, {@code readyz}), or of one
   * check when {@code single} is not empty; null when no such endpoint or check exists.
   */
  public Report run(String endpoint, String single, boolean verbose, Set<String> exclude) {
    List<Check> checks = byEndpoint.get(endpoint);
    if (checks == null) {
      return null;
    }
    if (!single.isEmpty()) {
      for (Check c : checks) {
        if (c.name().equals(single)) {
          String err = c.probe().get();
          return err == null ? new Report(200, "ok") : new Report(500, "internal server error: " + err + "\n");
        }
      }
      return null;
    }
    StringBuilder out = new StringBuilder();
    boolean failed = false;
    for (Check c : checks) {
      if (exclude.contains(c.name())) {
        out.append("[+]").append(c.name()).append(" excluded: ok\n");
        continue;
      }
      String err = c.probe().get();
      if (err == null) {
        out.append("[+]").append(c.name()).append(" ok\n");
      } else {
        failed = true;
        out.append("[-]").append(c.name()).append(" failed: reason withheld\n");
      }
    }
    if (failed) {
      return new Report(500, out + endpoint + " check failed\n");
    }
    return new Report(200, verbose ? out + endpoint + " check passed\n" : "ok");
  }
}
