package dev.skiff.kubelet.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the host tells about itself: its size (capacity), what is still free (pressure), and
 * identity (kernel, OS image, machine and boot IDs). Read afresh on every node status update.
 *
 * @param memoryBytes MemTotal of {@code /proc/meminfo}
 * @param memoryAvailableBytes MemAvailable, which upstream's eviction signal memory.available uses
 * @param storageBytes size of the filesystem holding the kubelet's data dir (ephemeral-storage)
 * @param storageAvailableBytes what an unprivileged writer may still use of it
 * @param pidMax {@code /proc/sys/kernel/pid_max}
 * @param processes the number of processes now running (entries of /proc)
 */
public record HostFacts(
    int cpus,
    long memoryBytes,
    long memoryAvailableBytes,
    long storageBytes,
    long storageAvailableBytes,
    long pidMax,
    long processes,
    String kernelVersion,
    String osImage,
    String machineId,
    String bootId) {

  /** Reads the facts of this host, the filesystem being the one that holds {@code dataDir}. */
  public static HostFacts read(Path dataDir) throws IOException {
    List<String> meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
    var store = Files.getFileStore(dataDir);
    long processes;
    try (var entries = Files.list(Path.of("/proc"))) {
      processes = entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).count();
    }
    return new HostFacts(
        Runtime.getRuntime().availableProcessors(),
        meminfoBytes(meminfo, "MemTotal"),
        meminfoBytes(meminfo, "MemAvailable"),
        store.getTotalSpace(),
        store.getUsableSpace(),
        Long.parseLong(firstLine(Path.of("/proc/sys/kernel/pid_max")).orElse("32768")),
        processes,
        firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(""),
        readOsImage(),
        firstLine(Path.of("/etc/machine-id")).orElse(""),
        firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse(""));
  }

  /** The first IPv4 address of an interface that is up, not loopback and not a pod bridge or veth. */
  public static Optional<String> primaryIpv4() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(n -> {
          try {
            return n.isUp() && !n.isLoopback() && !n.getName().startsWith("veth") && !n.getName().startsWith("skiff")
                && !n.getName().startsWith("cni");
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address)
        .map(a -> a.getHostAddress())
        .findFirst();
  }

  private static long meminfoBytes(List<String> lines, String key) {
    for (String line : lines) {
      if (line.startsWith(key + ":")) {
        String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
        long value = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].toLowerCase(Locale.ROOT).equals("kb") ? value * 1024 : value;
      }
    }
    throw new IllegalStateException("/proc/meminfo has no " + key);
  }

  private static Optional<String> firstLine(Path file) {
    try {
      return Files.readAllLines(file).stream().findFirst().map(String::strip);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** PRETTY_NAME of os-release, as upstream's cadvisor reports it. */
  private static String readOsImage() throws IOException {
    Path file = Files.exists(Path.of("/etc/os-release")) ? Path.of("/etc/os-release") : Path.of("/usr/lib/os-release");
    if (!Files.exists(file)) {
      return "Linux";
    }
    return Files.readAllLines(file).stream()
        .filter(l -> l.startsWith("PRETTY_NAME="))
        .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
        .findFirst().orElse("Linux");
  }
}
