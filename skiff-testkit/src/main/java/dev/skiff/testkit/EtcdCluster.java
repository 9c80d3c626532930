package dev.skiff.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd cluster of several members on 127.0.0.1, each on its own ports and data
 * directory, for tests of what survives a member's crash.
 *
 * <p>{@link #start(int)} returns once every member is healthy. {@link #kill(int)} crashes one
 * member with SIGKILL, {@link #restart(int)} brings it back on its old data and ports, and
 * {@link #close()} stops every member and deletes the cluster's directory.
 *
 * <p>Methods that change a member are synchronized; the cluster is safe to use from several
 * threads.
 */
public final class EtcdCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdCluster.class);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;

  private final Path root;
  private final List<EtcdMember> members;
  private final String initialCluster;
  private final EtcdProcess[] processes;

  private EtcdCluster(Path root, List<EtcdMember> members, EtcdProcess[] processes) {
    this.root = root;
    this.members = List.copyOf(members);
    this.initialCluster = EtcdMember.initialCluster(members);
    this.processes = processes;
  }

  /**
   * Starts a new cluster of {@code size} members and waits until each is healthy; if one fails
   * (for example a port was taken meanwhile), the whole cluster is tried again on other ports.
   */
  public static EtcdCluster start(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, got " + size);
    }
    EtcdProcess.requireBinary();
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      Path root = EtcdProcess.createTempDir("skiff-etcd-cluster-");
      int[] ports = EtcdProcess.freePorts(2 * size);
      List<EtcdMember> members = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        members.add(
            new EtcdMember("m" + i, root.resolve("m" + i), ports[2 * i], ports[2 * i + 1]));
      }
      EtcdProcess[] processes = new EtcdProcess[size];
      EtcdCluster cluster = new EtcdCluster(root, members, processes);
      try {
        // every member must run before any can be healthy: launch all, then wait
        for (int i = 0; i < size; i++) {
          processes[i] = EtcdProcess.launch(members.get(i), cluster.initialCluster, false, root, null);
        }
        for (EtcdProcess p : processes) {
          p.awaitHealthy(HEALTH_TIMEOUT);
        }
        return cluster;
      } catch (IllegalStateException e) {
        last = e;
        cluster.close();
        LOG.warn("etcd cluster did not start (attempt {} of {}): {}", attempt, START_ATTEMPTS, e.getMessage());
      }
    }
    throw last;
  }

  public int size() {
    return members.size();
  }

  /** Every member's client URI, in member order. */
  public List<URI> endpoints() {
    return members.stream().map(EtcdMember::clientUri).toList();
  }

  public EtcdMember member(int index) {
    return members.get(index);
  }

  public synchronized boolean isAlive(int index) {
    EtcdProcess p = processes[index];
    return p != null && p.isAlive();
  }

  public synchronized long pid(int index) {
    return processes[index].pid();
  }

  /** The index of the member that currently reports itself leader, if any answers so. */
  public synchronized OptionalInt leader() {
    for (int i = 0; i < processes.length; i++) {
      if (isAlive(i) && processes[i].isLeader()) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Crashes member {@code index} with SIGKILL; its data stays for {@link #restart}. */
  public synchronized void kill(int index) {
    LOG.info("killing etcd member {} (pid {})", members.get(index).name(), processes[index].pid());
    processes[index].kill();
  }

  /** Restarts a killed or stopped member on its old data and ports and waits until healthy. */
  public synchronized void restart(int index) {
    if (isAlive(index)) {
      throw new IllegalStateException("member " + members.get(index).name() + " is running");
    }
    processes[index] = EtcdProcess.launch(members.get(index), initialCluster, true, root, null);
    processes[index].awaitHealthy(HEALTH_TIMEOUT);
  }

  /** Stops every member and deletes the cluster's directory. */
  @Override
  public synchronized void close() {
    for (EtcdProcess p : processes) {
      if (p != null) {
        p.stop();
      }
    }
    EtcdProcess.deleteRecursively(root);
  }
}
