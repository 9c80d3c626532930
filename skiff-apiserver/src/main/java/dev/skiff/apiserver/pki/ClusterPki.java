package dev.skiff.apiserver.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates, kept under {@code DATA_DIR/tls}: the cluster CA, the API server's
 * serving certificate and the admin client certificate. Created on first start and reused after;
 * the serving certificate is issued again when it lacks a name that the current configuration
 * needs (for example after the bind address changed).
 *
 * @param ca the cluster CA, which signs the other two and trusts client certificates
 * @param serving the serving certificate of the API server
 * @param admin the client certificate of {@code system:admin} in {@code system:masters}
 */
public record ClusterPki(CertificateAuthority ca, Credential serving, Credential admin) {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPki.class);

  /** The DNS names every serving certificate carries, as kube-apiserver's defaults. */
  public static final List<String> SERVING_DNS_NAMES =
      List.of(
          "localhost",
          "kubernetes",
          "kubernetes.default",
          "kubernetes.default.svc",
          "kubernetes.default.svc.cluster.local");

  /** The first address of the service CIDR: the {@code default/kubernetes} Service's IP. */
  public static final String KUBERNETES_SERVICE_IP = "10.43.0.1";

  public ClusterPki {
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(serving, "serving");
    Objects.requireNonNull(admin, "admin");
  }

  /** Loads the certificates under {@code dataDir/tls}, creating whatever is missing. */
  public static ClusterPki loadOrCreate(Path dataDir, String bindAddress) {
    Path dir = dataDir.resolve("tls");
    CertificateAuthority ca;
    boolean newCa = !Credential.exists(dir, "ca");
    if (newCa) {
      ca = CertificateAuthority.createRoot("skiff-ca");
      ca.credential().write(dir, "ca");
      LOG.info("created cluster CA in {}", dir);
    } else {
      ca = new CertificateAuthority(Credential.read(dir, "ca"));
    }
    List<String> dns = new ArrayList<>(SERVING_DNS_NAMES);
    List<InetAddress> ips = servingAddresses(bindAddress);
    Credential serving = null;
    if (!newCa && Credential.exists(dir, "serving")) {
      serving = Credential.read(dir, "serving");
      if (!covers(serving.certificate(), dns, ips)) {
        LOG.info("serving certificate lacks a needed name; issuing a new one");
        serving = null;
      }
    }
    if (serving == null) {
      serving = ca.issueServing("kube-apiserver", dns, ips);
      serving.write(dir, "serving");
    }
    Credential admin;
    if (!newCa && Credential.exists(dir, "admin")) {
      admin = Credential.read(dir, "admin");
    } else {
      admin = ca.issueClient("system:admin", List.of("system:masters"));
      admin.write(dir, "admin");
    }
    return new ClusterPki(ca, serving, admin);
  }

  private static List<InetAddress> servingAddresses(String bindAddress) {
    Set<String> literals = new LinkedHashSet<>(List.of("127.0.0.1", KUBERNETES_SERVICE_IP));
    try {
      InetAddress bind = InetAddress.getByName(bindAddress);
      if (!bind.isAnyLocalAddress()) {
        literals.add(bind.getHostAddress());
      }
      List<InetAddress> out = new ArrayList<>();
      for (String l : literals) {
        out.add(InetAddress.getByName(l));
      }
      return out;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bind address is not an IP address: " + bindAddress, e);
    }
  }

  private static boolean covers(X509Certificate cert, List<String> dns, List<InetAddress> ips) {
    Set<String> have = new HashSet<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          have.add(String.valueOf(san.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      return false;
    }
    for (InetAddress ip : ips) {
      if (!have.contains(ip.getHostAddress())) {
        return false;
      }
    }
    return have.containsAll(dns);
  }
}
