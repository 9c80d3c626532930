package dev.skiff.kubelet.cni;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * A node's pod network as a CNI network configuration list: the {@code bridge} plugin puts each pod
 * on a Linux bridge whose address is the podCIDR's gateway ({@code isGateway}), {@code host-local}
 * hands out the podCIDR's addresses (its state under {@code ipamDataDir}, not the shared
 * {@code /var/lib/cni/networks}), and {@code portmap} carries out hostPorts.
 *
 * <p>The loopback interface is not in the list: containerd's CRI plugin sets up {@code lo} in every
 * pod itself with the {@code loopback} plugin from the same bin dir (go-cni's loopback network),
 * and a {@code loopback} entry in a chain would be given the pod's {@code eth0}.
 *
 * <p>No masquerading ({@code ipMasq false}): pod traffic leaves the node with pod IPs, so pods reach
 * the node and each other, not the outside. That is Skiff's safe default on shared machines.
 *
 * @param name the network's name (what {@code /var/lib/cni/results} files are named after)
 * @param bridge the Linux bridge device, at most 15 characters
 */
public record BridgeNetwork(String name, String bridge, Ipv4Cidr podCidr, Path ipamDataDir) {

  /** The conflist's file name: containerd reads the first conf file in its conf dir by name. */
  public static final String FILE_NAME = "10-skiff.conflist";
  /** CNI spec version; Debian 12's plugins (1.1.1) and containerd 1.6's libcni speak it. */
  public static final String CNI_VERSION = "1.0.0";

  public BridgeNetwork {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bridge, "bridge");
    Objects.requireNonNull(podCidr, "podCidr");
    Objects.requireNonNull(ipamDataDir, "ipamDataDir");
    if (bridge.isEmpty() || bridge.length() > 15) {
      throw new IllegalArgumentException("a Linux device name has 1 to 15 characters: " + bridge);
    }
  }

  /** The conflist as JSON. */
  public String conflist() {
    JsonObject range = new JsonObject();
    range.addProperty("subnet", podCidr.toString());
    range.addProperty("gateway", podCidr.gateway());
    JsonArray rangeSet = new JsonArray();
    rangeSet.add(range);
    JsonArray ranges = new JsonArray();
    ranges.add(rangeSet);
    JsonObject defaultRoute = new JsonObject();
    defaultRoute.addProperty("dst", "0.0.0.0/0");
    JsonArray routes = new JsonArray();
    routes.add(defaultRoute);
    JsonObject ipam = new JsonObject();
    ipam.addProperty("type", "host-local");
    ipam.add("ranges", ranges);
    ipam.add("routes", routes);
    ipam.addProperty("dataDir", ipamDataDir.toString());

    JsonObject bridgePlugin = new JsonObject();
    bridgePlugin.addProperty("type", "bridge");
    bridgePlugin.addProperty("bridge", bridge);
    bridgePlugin.addProperty("isGateway", true);
    bridgePlugin.addProperty("ipMasq", false);
    // a pod reaching itself through a Service IP comes back over its own veth
    bridgePlugin.addProperty("hairpinMode", true);
    bridgePlugin.add("ipam", ipam);

    JsonObject capabilities = new JsonObject();
    capabilities.addProperty("portMappings", true);
    JsonObject portmap = new JsonObject();
    portmap.addProperty("type", "portmap");
    portmap.add("capabilities", capabilities);

    JsonArray plugins = new JsonArray();
    plugins.add(bridgePlugin);
    plugins.add(portmap);
    JsonObject list = new JsonObject();
    list.addProperty("cniVersion", CNI_VERSION);
    list.addProperty("name", name);
    list.add("plugins", plugins);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(list) + "\n";
  }

  /**
   * Writes the conflist into {@code confDir} as {@link #FILE_NAME}, atomically: containerd watches
   * the directory and must never read half a file. Returns the file.
   */
  public Path writeTo(Path confDir) throws IOException {
    Files.createDirectories(confDir);
    Files.createDirectories(ipamDataDir);
    Path target = confDir.resolve(FILE_NAME);
    // the temporary name must not end in .conf/.conflist/.json, or containerd may load it
    Path partial = confDir.resolve("." + FILE_NAME + ".partial");
    Files.writeString(partial, conflist());
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
