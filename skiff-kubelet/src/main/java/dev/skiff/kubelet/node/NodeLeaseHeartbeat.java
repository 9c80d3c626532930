package dev.skiff.kubelet.node;

import dev.skiff.kubelet.Ticker;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The node's heartbeat: a Lease named after the node in {@code kube-node-lease}, held by the
 * node and renewed every interval, as upstream's nodelease controller does. The Lease is owned by
 * the Node, so that deleting the Node deletes it. Owns one virtual thread; {@link #close()} stops it.
 */
public final class NodeLeaseHeartbeat implements AutoCloseable {

  public static final String NAMESPACE = "kube-node-lease";
  /** Upstream's nodeLeaseDurationSeconds. */
  public static final int DURATION_SECONDS = 40;

  private final KubernetesClient client;
  private final String nodeName;
  private final Ticker ticker;

  /** Creates or renews the Lease once, then keeps renewing it every {@code interval}. */
  public NodeLeaseHeartbeat(KubernetesClient client, String nodeName, Duration interval) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    renew();
    // upstream retries sooner after a failure (200 ms doubling); the next tick is soon enough here
    this.ticker = new Ticker("node-lease", interval, this::renew);
  }

  private void renew() {
    // MicroTime: the lease's times have microseconds
    ZonedDateTime now = ZonedDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    var leases = client.leases().inNamespace(NAMESPACE);
    Lease existing = leases.withName(nodeName).get();
    if (existing == null) {
      var node = client.nodes().withName(nodeName).get();
      var lease = new LeaseBuilder()
          .withNewMetadata().withName(nodeName).withNamespace(NAMESPACE).endMetadata()
          .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(DURATION_SECONDS)
          .withRenewTime(now).endSpec()
          .build();
      if (node != null) {
        lease.getMetadata().getOwnerReferences().add(new OwnerReference("v1", null, null, "Node",
            node.getMetadata().getName(), node.getMetadata().getUid()));
      }
      try {
        leases.resource(lease).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = leases.withName(nodeName).get();
      }
    }
    existing.getSpec().setHolderIdentity(nodeName);
    existing.getSpec().setLeaseDurationSeconds(DURATION_SECONDS);
    existing.getSpec().setRenewTime(now);
    // an update with the read resourceVersion: a conflict means someone else wrote; the next tick retries
    leases.resource(existing).update();
  }

  @Override
  public void close() {
    ticker.close();
  }
}
