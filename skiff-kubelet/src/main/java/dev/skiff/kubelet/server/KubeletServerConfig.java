package dev.skiff.kubelet.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the kubelet's HTTPS server runs (upstream: {@code --address}, {@code --port},
 * {@code --tls-cert-file}, {@code --tls-private-key-file}, {@code --client-ca-file}).
 *
 * @param bindAddress the address to listen on ({@code 127.0.0.1} in tests)
 * @param port the port; upstream's is 10250, 0 picks a free one
 * @param certificateFile the PEM serving certificate (chain), issued by the cluster CA
 * @param keyFile its PEM private key (SEC1 {@code EC PRIVATE KEY} or PKCS#8)
 * @param clientCaFile PEM CA certificates: only clients presenting a certificate they signed are served
 */
public record KubeletServerConfig(String bindAddress, int port, Path certificateFile, Path keyFile,
    Path clientCaFile) {

  /** Upstream's kubelet port. */
  public static final int DEFAULT_PORT = 10250;

  public KubeletServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(certificateFile, "certificateFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(clientCaFile, "clientCaFile");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }
}
