package dev.skiff.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS clients that trust exactly the cluster CA named in a kubeconfig's
 * {@code certificate-authority-data}, and present no client identity (callers add a bearer token
 * or test anonymous access).
 */
public final class KubeconfigTrust {
  private KubeconfigTrust() {}

  /** An HTTP/2 client trusting only the CA of {@code kubeconfig}. */
  public static HttpClient httpClient(Path kubeconfig) throws IOException, GeneralSecurityException {
    String caData = Files.readAllLines(kubeconfig).stream()
        .map(String::strip)
        .filter(l -> l.startsWith("certificate-authority-data:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElseThrow(() -> new IOException("no certificate-authority-data in " + kubeconfig));
    Certificate ca = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(caData)));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("cluster-ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2).build();
  }
}
