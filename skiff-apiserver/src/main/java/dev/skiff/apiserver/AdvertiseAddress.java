package dev.skiff.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The address the API server tells clients in the cluster to use (upstream's
 * {@code --advertise-address}): the configured one; else the bind address when it names one
 * host address; else, for an unspecified or loopback bind address (which pods cannot reach), the
 * host's primary IPv4 address, as upstream's {@code ResolveBindAddress}/{@code ChooseHostInterface}
 * pick it: the address of the interface that holds the default route, then the first IPv4 address
 * of an interface that is up and not loopback, a bridge or a veth of Skiff's own.
 */
public final class AdvertiseAddress {
  private static final Path ROUTES = Path.of("/proc/net/route");

  private AdvertiseAddress() {}

  /**
   * @param configured the {@code --advertise-address}, or null/blank
   * @param bindAddress the address the server listens on
   * @throws IllegalArgumentException when {@code configured} is not an IP address
   */
  public static String resolve(String configured, String bindAddress) {
    if (configured != null && !configured.isBlank()) {
      InetAddress a = literal(configured.strip());
      if (!a.isAnyLocalAddress()) {
        return a.getHostAddress();
      }
    }
    InetAddress bind = literal(bindAddress);
    if (!bind.isAnyLocalAddress() && !bind.isLoopbackAddress()) {
      return bind.getHostAddress();
    }
    return primaryIpv4().orElse(bind.isLoopbackAddress() ? bind.getHostAddress() : "127.0.0.1");
  }

  private static InetAddress literal(String address) {
    // only literals: resolving a name here would ask DNS at every start
    if (!address.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    try {
      return InetAddress.getByName(address);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e);
    }
  }

  /** The host's primary IPv4 address: the default route's interface first. */
  static Optional<String> primaryIpv4() {
    try {
      Optional<String> viaRoute = defaultRouteInterface().flatMap(AdvertiseAddress::ipv4Of);
      if (viaRoute.isPresent()) {
        return viaRoute;
      }
      return NetworkInterface.networkInterfaces().filter(AdvertiseAddress::usable)
          .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address)
          .map(InetAddress::getHostAddress).findFirst();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The interface of the IPv4 default route (destination 00000000 in /proc/net/route). */
  private static Optional<String> defaultRouteInterface() {
    List<String> lines;
    try {
      lines = Files.readAllLines(ROUTES);
    } catch (IOException e) {
      return Optional.empty(); // not Linux, or no procfs: fall back to the interface scan
    }
    return lines.stream().skip(1).map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length > 2 && f[1].equals("00000000")).map(f -> f[0]).findFirst();
  }

  private static Optional<String> ipv4Of(String name) {
    try {
      NetworkInterface n = NetworkInterface.getByName(name);
      if (n == null || !usable(n)) {
        return Optional.empty();
      }
      return n.inetAddresses().filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress).findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static boolean usable(NetworkInterface n) {
    try {
      String name = n.getName();
      return n.isUp() && !n.isLoopback() && !name.startsWith("veth") && !name.startsWith("skiff") && !name.startsWith("cni");
    } catch (SocketException e) {
      return false;
    }
  }
}
