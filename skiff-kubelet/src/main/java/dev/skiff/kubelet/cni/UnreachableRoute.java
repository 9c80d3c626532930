package dev.skiff.kubelet.cni;

import dev.skiff.kubelet.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.time.Duration;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety route of a cluster CIDR: {@code ip route add unreachable CIDR metric 4000000000}.
 * A packet for a pod IP that no bridge route covers (a pod that is gone, another node's pod with no
 * route yet) then fails on the node at once instead of following the default route off the machine.
 * Its metric is so high that every real route (the bridge's podCIDR route) wins over it.
 *
 * <p>Refuses CIDRs wider than /16 and any CIDR that holds one of the node's DNS servers (on Skiff's
 * test machines the resolver is 10.255.255.53: an unreachable 10.0.0.0/8 would break every name
 * lookup on the machine). Idempotent; {@link #remove} undoes it.
 */
public final class UnreachableRoute {

  private static final Logger LOG = LoggerFactory.getLogger(UnreachableRoute.class);
  /** The widest CIDR this class will make unreachable. */
  public static final int MIN_PREFIX_LENGTH = 16;
  public static final long DEFAULT_METRIC = 4_000_000_000L;

  private final Ipv4Cidr cidr;
  private final long metric;

  /**
   * @throws IllegalArgumentException when the CIDR is wider than /16 or holds a nameserver of
   *     {@code resolvConf}
   */
  public UnreachableRoute(Ipv4Cidr cidr, long metric, Path resolvConf) throws IOException {
    this.cidr = Objects.requireNonNull(cidr, "cidr");
    this.metric = metric;
    if (cidr.prefixLength() < MIN_PREFIX_LENGTH) {
      throw new IllegalArgumentException("refusing to make " + cidr + " unreachable: wider than /" + MIN_PREFIX_LENGTH);
    }
    if (Files.exists(resolvConf)) {
      for (String line : Files.readAllLines(resolvConf)) {
        String[] words = line.strip().split("\\s+");
        if (words.length >= 2 && words[0].equals("nameserver") && words[1].indexOf(':') < 0
            && cidr.contains(words[1])) {
          throw new IllegalArgumentException("refusing to make " + cidr + " unreachable: it holds the nameserver "
              + words[1]);
        }
      }
    }
  }

  /** The usual route for a cluster CIDR: metric 4000000000, checked against {@code /etc/resolv.conf}. */
  public static UnreachableRoute forClusterCidr(Ipv4Cidr cidr) throws IOException {
    return new UnreachableRoute(cidr, DEFAULT_METRIC, Path.of("/etc/resolv.conf"));
  }

  /** Adds the route unless it is there already; returns whether it added it. */
  public boolean ensure() throws IOException {
    if (present()) {
      return false;
    }
    ip("route", "add", "unreachable", cidr.toString(), "metric", Long.toString(metric));
    LOG.info("added route: unreachable {} metric {}", cidr, metric);
    return true;
  }

  /** Whether the route is in the main table. */
  public boolean present() throws IOException {
    String routes = ip("route", "show", "type", "unreachable", "exact", cidr.toString());
    return routes.lines().anyMatch(l -> l.contains(cidr.toString()) && l.contains("metric " + metric));
  }

  /** Removes the route if it is there; returns whether it removed it. */
  public boolean remove() throws IOException {
    if (!present()) {
      return false;
    }
    ip("route", "del", "unreachable", cidr.toString(), "metric", Long.toString(metric));
    return true;
  }

  private static String ip(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    return new HostCommand(command, Duration.ofSeconds(10)).output();
  }
}
