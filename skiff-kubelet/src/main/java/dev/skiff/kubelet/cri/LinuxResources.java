package dev.skiff.kubelet.cri;

import dev.skiff.kubelet.cri.v1.LinuxContainerResources;

/**
 * The cgroup settings of a container, as CRI's LinuxContainerResources carries them; 0 leaves a
 * setting to the runtime's default.
 *
 * @param cpuPeriod CFS period in microseconds (upstream uses 100000)
 * @param cpuQuota CFS quota in microseconds per period; 0 sets no CPU limit
 * @param cpuShares relative CPU weight (cgroups v1 shares, 2..262144)
 * @param memoryLimitBytes hard memory limit; 0 sets none
 */
public record LinuxResources(long cpuPeriod, long cpuQuota, long cpuShares, long memoryLimitBytes) {

  /** No settings: the runtime's defaults. */
  public static final LinuxResources NONE = new LinuxResources(0, 0, 0, 0);

  public LinuxResources {
    if (cpuPeriod < 0 || cpuQuota < 0 || cpuShares < 0 || memoryLimitBytes < 0) {
      throw new IllegalArgumentException("negative resource setting");
    }
  }

  LinuxContainerResources toProto() {
    return LinuxContainerResources.newBuilder()
        .setCpuPeriod(cpuPeriod)
        .setCpuQuota(cpuQuota)
        .setCpuShares(cpuShares)
        .setMemoryLimitInBytes(memoryLimitBytes)
        .build();
  }
}
