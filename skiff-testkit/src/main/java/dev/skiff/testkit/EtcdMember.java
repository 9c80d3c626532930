package dev.skiff.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one etcd member lives: its name, data directory and loopback ports. The same member
 * started twice (after a kill) reuses its data directory and ports, as a restarted machine would.
 *
 * @param name the member name, unique in its cluster
 * @param dataDir etcd's {@code --data-dir}
 * @param clientPort the loopback port clients connect to
 * @param peerPort the loopback port the other members connect to
 */
public record EtcdMember(String name, Path dataDir, int clientPort, int peerPort) {
  public EtcdMember {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  public URI clientUri() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  public URI peerUri() {
    return URI.create("http://127.0.0.1:" + peerPort);
  }

  /** etcd's {@code --initial-cluster} value naming every member of {@code members}. */
  static String initialCluster(List<EtcdMember> members) {
    List<String> parts = new ArrayList<>();
    for (EtcdMember m : members) {
      parts.add(m.name() + "=" + m.peerUri());
    }
    return String.join(",", parts);
  }
}
