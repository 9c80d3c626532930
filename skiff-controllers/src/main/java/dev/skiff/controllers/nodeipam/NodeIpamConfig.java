package dev.skiff.controllers.nodeipam;

import java.util.Objects;

/**
 * Configuration of the node IPAM controller (upstream's {@code --cluster-cidr},
 * {@code --node-cidr-mask-size}, {@code --allocate-node-cidrs}).
 *
 * @param allocateNodeCidrs whether the controller assigns podCIDRs at all; when false, nodes pick their own
 * @param clusterCidr the IPv4 range pod CIDRs are cut from, such as {@code 10.42.0.0/16}
 * @param nodeCidrMaskSize the prefix length of each node's range, such as 24
 */
public record NodeIpamConfig(boolean allocateNodeCidrs, String clusterCidr, int nodeCidrMaskSize) {
  public NodeIpamConfig {
    Objects.requireNonNull(clusterCidr, "clusterCidr");
    CidrSet.validate(clusterCidr, nodeCidrMaskSize);
  }

  /** Skiff's cluster defaults: 10.42.0.0/16, a /24 per node, allocation on. */
  public static NodeIpamConfig defaults() {
    return new NodeIpamConfig(true, "10.42.0.0/16", 24);
  }
}
