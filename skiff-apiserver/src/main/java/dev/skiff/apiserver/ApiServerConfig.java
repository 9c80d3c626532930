package dev.skiff.apiserver;

import dev.skiff.apiserver.registry.AdmissionPlugins;
import dev.skiff.storage.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run an {@link ApiServer}.
 *
 * @param dataDir where certificates ({@code tls/}) and {@code kubeconfig.yaml} live
 * @param bindAddress the address to listen on ({@code 0.0.0.0} for all)
 * @param port the HTTPS port; 0 picks a free one
 * @param store the storage; the server does not close it
 * @param tokenAuthFile a static token CSV file ({@code --token-auth-file}), or null
 * @param clientCaFile a PEM bundle of extra client CAs ({@code --client-ca-file}), or null
 * @param watchBookmarkInterval how often an idle watch that allows bookmarks gets one
 * @param localNode the node whose kubelet runs on this machine, reached on 127.0.0.1 for logs,
 *     exec and port-forward; null when there is none
 * @param admission the admission plugins that run ({@code --disable-admission-plugins} turns some
 *     off)
 * @param advertiseAddress the address the {@code default/kubernetes} Endpoints publish
 *     ({@code --advertise-address}); null: the bind address, or the host's primary IPv4 when that
 *     is unspecified or loopback, as upstream ({@link AdvertiseAddress})
 */
public record ApiServerConfig(
    Path dataDir,
    String bindAddress,
    int port,
    Store store,
    Path tokenAuthFile,
    Path clientCaFile,
    Duration watchBookmarkInterval,
    String localNode,
    AdmissionPlugins admission,
    String advertiseAddress) {

  public ApiServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(watchBookmarkInterval, "watchBookmarkInterval");
    Objects.requireNonNull(admission, "admission");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /**
   * A server without the ServiceAccount admission plugin, for embedding where no controller
   * manager creates the {@code default} accounts (tests, benchmarks); {@link #defaults} and
   * {@code skiff server} run every plugin.
   */
  public ApiServerConfig(Path dataDir, String bindAddress, int port, Store store, Path tokenAuthFile, Path clientCaFile) {
    this(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, Duration.ofMinutes(1));
  }

  /** Every setting but the advertised address, which is derived ({@link AdvertiseAddress}). */
  public ApiServerConfig(Path dataDir, String bindAddress, int port, Store store, Path tokenAuthFile,
      Path clientCaFile, Duration watchBookmarkInterval, String localNode, AdmissionPlugins admission) {
    this(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, watchBookmarkInterval, localNode, admission,
        null);
  }

  /** As the six-argument constructor, with a bookmark interval. */
  public ApiServerConfig(Path dataDir, String bindAddress, int port, Store store, Path tokenAuthFile,
      Path clientCaFile, Duration watchBookmarkInterval) {
    this(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, watchBookmarkInterval, null,
        new AdmissionPlugins(java.util.Set.of(AdmissionPlugins.SERVICE_ACCOUNT)), null);
  }

  public ApiServerConfig withLocalNode(String node) {
    return new ApiServerConfig(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, watchBookmarkInterval,
        node, admission, advertiseAddress);
  }

  /** kube-apiserver's and k3s's defaults: all addresses, port 6443, every admission plugin. */
  public static ApiServerConfig defaults(Path dataDir, Store store) {
    return new ApiServerConfig(dataDir, "0.0.0.0", 6443, store, null, null, Duration.ofMinutes(1), null,
        AdmissionPlugins.all(), null);
  }

  public ApiServerConfig withAdmission(AdmissionPlugins a) {
    return new ApiServerConfig(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, watchBookmarkInterval,
        localNode, a, advertiseAddress);
  }

  public ApiServerConfig withPort(int p) {
    return new ApiServerConfig(dataDir, bindAddress, p, store, tokenAuthFile, clientCaFile, watchBookmarkInterval,
        localNode, admission, advertiseAddress);
  }

  public ApiServerConfig withBindAddress(String a) {
    return new ApiServerConfig(dataDir, a, port, store, tokenAuthFile, clientCaFile, watchBookmarkInterval,
        localNode, admission, advertiseAddress);
  }

  public ApiServerConfig withTokenAuthFile(Path f) {
    return new ApiServerConfig(dataDir, bindAddress, port, store, f, clientCaFile, watchBookmarkInterval,
        localNode, admission, advertiseAddress);
  }

  public ApiServerConfig withClientCaFile(Path f) {
    return new ApiServerConfig(dataDir, bindAddress, port, store, tokenAuthFile, f, watchBookmarkInterval,
        localNode, admission, advertiseAddress);
  }

  public ApiServerConfig withWatchBookmarkInterval(Duration d) {
    return new ApiServerConfig(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, d, localNode, admission,
        advertiseAddress);
  }

  /** With {@code --advertise-address}; null derives it. */
  public ApiServerConfig withAdvertiseAddress(String a) {
    return new ApiServerConfig(dataDir, bindAddress, port, store, tokenAuthFile, clientCaFile, watchBookmarkInterval,
        localNode, admission, a);
  }
}
