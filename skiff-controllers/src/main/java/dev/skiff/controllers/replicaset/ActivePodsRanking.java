package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.base.PodConditions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's {@code ActivePodsWithRanks} with LogarithmicScaleDown (on by default since 1.22):
 * orders pods so that the ones to delete first come first. Earlier means: unscheduled before
 * scheduled; Pending before Unknown before Running; not ready before ready; lower
 * {@code controller.kubernetes.io/pod-deletion-cost}; more related pods on the same node (higher
 * rank); ready more recently (compared in log2 buckets of age); more container restarts; created
 * more recently (log2 buckets). Ties in a bucket break by uid.
 */
public final class ActivePodsRanking implements Comparator<ActivePodsRanking.Ranked> {
  public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  /** A pod and its rank: how many related pods share its node. */
  public record Ranked(Pod pod, int rank) {}

  private final Instant now;

  public ActivePodsRanking(Instant now) {
    this.now = Objects.requireNonNull(now, "now");
  }

  /** Pods ranked by related pods on the same node, as upstream's {@code getPodsRankedByRelatedPodsOnSameNode}. */
  public static List<Ranked> rankByRelatedPodsOnSameNode(List<Pod> pods, List<Pod> related) {
    Map<String, Integer> onNode = new java.util.HashMap<>();
    for (Pod p : related) {
      if (PodConditions.isActive(p)) {
        onNode.merge(nodeName(p), 1, Integer::sum);
      }
    }
    return pods.stream().map(p -> new Ranked(p, onNode.getOrDefault(nodeName(p), 0))).toList();
  }

  @Override
  public int compare(Ranked a, Ranked b) {
    Pod x = a.pod();
    Pod y = b.pod();
    // 1. unassigned < assigned
    boolean xAssigned = !nodeName(x).isEmpty();
    boolean yAssigned = !nodeName(y).isEmpty();
    if (xAssigned != yAssigned) {
      return xAssigned ? 1 : -1;
    }
    // 2. Pending < Unknown < Running
    int byPhase = Integer.compare(phaseOrdinal(x), phaseOrdinal(y));
    if (byPhase != 0) {
      return byPhase;
    }
    // 3. not ready < ready
    boolean xReady = PodConditions.isReady(x);
    boolean yReady = PodConditions.isReady(y);
    if (xReady != yReady) {
      return xReady ? 1 : -1;
    }
    // 4. lower deletion cost < higher
    int byCost = Integer.compare(deletionCost(x), deletionCost(y));
    if (byCost != 0) {
      return byCost;
    }
    // 5. doubled up (higher rank) < not doubled up
    if (a.rank() != b.rank()) {
      return a.rank() > b.rank() ? -1 : 1;
    }
    // 6. ready for less time < more time
    if (xReady && yReady) {
      Instant rx = PodConditions.readySince(x).orElse(null);
      Instant ry = PodConditions.readySince(y).orElse(null);
      if (!Objects.equals(rx, ry)) {
        int c = newerFirst(x, y, rx, ry);
        if (c != 0) {
          return c;
        }
      }
    }
    // 7. more restarts < fewer restarts
    int byRestarts = Integer.compare(maxRestarts(y), maxRestarts(x));
    if (byRestarts != 0) {
      return byRestarts;
    }
    // 8. newer < older
    Instant cx = created(x);
    Instant cy = created(y);
    if (!Objects.equals(cx, cy)) {
      return newerFirst(x, y, cx, cy);
    }
    return 0;
  }

  /** Missing time first, then the more recent time in log2 buckets of age; uid breaks a tie in one bucket. */
  private int newerFirst(Pod x, Pod y, Instant tx, Instant ty) {
    if (tx == null || ty == null) {
      return tx == null ? (ty == null ? 0 : -1) : 1;
    }
    int diff = bucket(tx) - bucket(ty);
    if (diff == 0) {
      return uid(x).compareTo(uid(y));
    }
    return diff < 0 ? -1 : 1;
  }

  /** floor(log2(age in ns)) as upstream's {@code logarithmicRankDiff}; -1 for no or negative age. */
  private int bucket(Instant t) {
    long age = Duration.between(t, now).toNanos();
    return age > 0 ? 63 - Long.numberOfLeadingZeros(age) : -1;
  }

  private static String nodeName(Pod p) {
    String n = p.getSpec() == null ? null : p.getSpec().getNodeName();
    return n == null ? "" : n;
  }

  private static int phaseOrdinal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return switch (phase == null ? "" : phase) {
      case "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 3;
    };
  }

  static int deletionCost(Pod p) {
    var ann = p.getMetadata().getAnnotations();
    String v = ann == null ? null : ann.get(DELETION_COST);
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int maxRestarts(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return p.getStatus().getContainerStatuses().stream().map(ContainerStatus::getRestartCount)
        .filter(Objects::nonNull).mapToInt(Integer::intValue).max().orElse(0);
  }

  private static Instant created(Pod p) {
    String ts = p.getMetadata().getCreationTimestamp();
    return ts == null ? null : Instant.parse(ts);
  }

  private static String uid(Pod p) {
    return p.getMetadata().getUid() == null ? "" : p.getMetadata().getUid();
  }
}
