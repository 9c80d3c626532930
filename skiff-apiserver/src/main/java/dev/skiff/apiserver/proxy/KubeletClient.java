package dev.skiff.apiserver.proxy;

import dev.skiff.apiserver.pki.CertificateAuthority;
import dev.skiff.apiserver.pki.Credential;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the API server reaches kubelets (upstream: {@code --kubelet-client-certificate},
 * {@code --kubelet-certificate-authority}): an HTTPS client that presents the API server's
 * kubelet-client certificate ({@code DATA/tls/kubelet-client.*}, CN
 * {@code kube-apiserver-kubelet-client} in {@code system:masters}, issued by the cluster CA on
 * first use) and trusts kubelet serving certificates the cluster CA signed. Thread-safe.
 */
public final class KubeletClient {

  /** The credential's file name stem under {@code DATA/tls}. */
  public static final String CREDENTIAL_NAME = "kubelet-client";

  private final HttpClient http;

  private KubeletClient(HttpClient http) {
    this.http = http;
  }

  /** Loads the kubelet-client credential under {@code tlsDir}, issuing it with {@code ca} when missing. */
  public static KubeletClient loadOrCreate(Path tlsDir, CertificateAuthority ca) {
    Objects.requireNonNull(ca, "ca");
    Credential client;
    if (Credential.exists(tlsDir, CREDENTIAL_NAME)) {
      client = Credential.read(tlsDir, CREDENTIAL_NAME);
    } else {
      client = ca.issueClient("kube-apiserver-kubelet-client", List.of("system:masters"));
      client.write(tlsDir, CREDENTIAL_NAME);
    }
    try {
      char[] password = UUID.randomUUID().toString().toCharArray();
      // In memory only: JKS protects the key cheaply, PKCS12 runs 10,000 PBKDF2 rounds on store and
      // again on read (10-15% of the CPU to /readyz).
      KeyStore keys = KeyStore.getInstance("JKS");
      keys.load(null, null);
      keys.setKeyEntry("client", client.key(), password, new Certificate[] {client.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.credential().certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return new KubeletClient(HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .executor(Executors.newVirtualThreadPerTaskExecutor()).build());
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the kubelet client's TLS context", e);
    }
  }

  /** The HTTP client (HTTP/1.1, also used for WebSockets). */
  public HttpClient http() {
    return http;
  }
}
