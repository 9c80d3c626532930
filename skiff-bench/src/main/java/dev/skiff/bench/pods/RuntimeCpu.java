package dev.skiff.bench.pods;

import dev.skiff.bench.pods.CpuAccountingGroup.CpuTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU time a batch of pods cost the container runtime, independent of how loaded the machine
 * was: containerd with its shims, runc and CNI plugins (a {@link CpuAccountingGroup}), plus the pods'
 * own cgroups (runc's init inside each container before it execs the pod's command), over the wall
 * time of the batch.
 *
 * <p>{@link #lowerBoundMillis(int)} turns it into the hard floor that a machine of {@code cores}
 * cores cannot beat for the last pod of such a batch, whatever the scheduling: all that CPU work must
 * be done before the last pod starts.
 *
 * @param pods how many pods the batch started
 * @param runtime containerd, shims, runc, CNI plugins
 * @param containers the pods' own cgroups ({@code k8s.io/*})
 * @param wallNanos the batch's wall time, first call to last container started
 * @param loadBefore the 1-minute load average when the batch began
 * @param loadAfter the 1-minute load average when it ended
 */
record RuntimeCpu(int pods, CpuTime runtime, CpuTime containers, long wallNanos, double loadBefore,
    double loadAfter) {

  /** What {@link #since} subtracts: both groups' counters and the time, at the batch's start. */
  record Sample(CpuTime runtime, CpuTime containers, long nanoTime, double load) {
    static Sample take(CpuAccountingGroup group) throws IOException {
      return new Sample(group.read(), CpuAccountingGroup.read(CpuAccountingGroup.podGroups()), System.nanoTime(),
          loadAverage());
    }
  }

  /**
   * The CPU used since {@code start} by {@code pods} pods whose last container has just started.
   * Waits a second first, so that work containerd and the shims finish after answering (task
   * events, the shim's bookkeeping) is counted too; the wall time ends before that wait.
   */
  static RuntimeCpu since(Sample start, CpuAccountingGroup group, int pods) throws IOException, InterruptedException {
    long wall = System.nanoTime() - start.nanoTime();
    Thread.sleep(1_000);
    Sample end = Sample.take(group);
    return new RuntimeCpu(pods, end.runtime().minus(start.runtime()), end.containers().minus(start.containers()),
        wall, start.load(), end.load());
  }

  /** The 1-minute load average. */
  static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  /** Runtime and containers together, per pod, in milliseconds. */
  double perPodMillis() {
    return (runtime.totalNanos() + containers.totalNanos()) / 1e6 / pods;
  }

  /** The wall time the batch's CPU work needs at the least on {@code cores} cores all given to it. */
  double lowerBoundMillis(int cores) {
    return perPodMillis() * pods / cores;
  }

  /** One line for the benchmark's table: per pod, split, and the bound it implies for this batch. */
  String describe(int cores) {
    return describePerPod() + String.format(Locale.ROOT, "; %d pods × that ÷ %d cores = **%.1f s lower bound**",
        pods, cores, lowerBoundMillis(cores) / 1000);
  }

  /** Per pod and split, with the batch's wall time and the load around it. */
  String describePerPod() {
    return String.format(Locale.ROOT,
        "**%.0f ms per pod** (runtime %.0f user + %.0f sys, containers' own cgroups %.0f); batch wall %.1f s,"
            + " load %.1f → %.1f",
        perPodMillis(), runtime.userNanos() / 1e6 / pods, runtime.systemNanos() / 1e6 / pods,
        containers.totalNanos() / 1e6 / pods, wallNanos / 1e9, loadBefore, loadAfter);
  }
}
