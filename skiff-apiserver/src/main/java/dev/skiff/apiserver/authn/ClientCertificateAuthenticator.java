package dev.skiff.apiserver.authn;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Authenticates TLS client certificates signed by one of the trusted CAs: the subject's CN is the
 * user name and each O is a group, as kube-apiserver's {@code --client-ca-file} authenticator.
 *
 * <p>The TLS layer already checked the chain against the same CAs; this check is repeated here so
 * that authentication never depends on how the connector was configured.
 */
public final class ClientCertificateAuthenticator implements Authenticator {
  private final List<X509Certificate> trustedCas;

  /** How many verified certificates are remembered (cleared when full: a bound, not an LRU). */
  private static final int MAX_VERIFIED = 1024;

  private final Map<X509Certificate, AuthenticationResult.Authenticated> verified = new ConcurrentHashMap<>();

  public ClientCertificateAuthenticator(List<X509Certificate> trustedCas) {
    this.trustedCas = List.copyOf(trustedCas);
  }

  @Override
  public AuthenticationResult authenticate(Credentials credentials) {
    if (credentials.clientCertificates().isEmpty()) {
      return new AuthenticationResult.NoCredentials();
    }
    X509Certificate leaf = credentials.clientCertificates().getFirst();
    try {
      leaf.checkValidity();
    } catch (GeneralSecurityException e) {
      return new AuthenticationResult.Rejected("x509: certificate has expired or is not yet valid");
    }
    // Every request of a connection presents the same certificate: verify its signature and read its
    // subject once (an ECDSA verification and an LDAP name parse per request were a top cost).
    AuthenticationResult.Authenticated known = verified.get(leaf);
    if (known != null) {
      return known;
    }
    AuthenticationResult result = verify(leaf);
    if (result instanceof AuthenticationResult.Authenticated a) {
      if (verified.size() >= MAX_VERIFIED) {
        verified.clear();
      }
      verified.put(leaf, a);
    }
    return result;
  }

  private AuthenticationResult verify(X509Certificate leaf) {
    if (!signedByTrustedCa(leaf)) {
      return new AuthenticationResult.Rejected("x509: certificate signed by unknown authority");
    }
    try {
      String cn = null;
      List<String> groups = new ArrayList<>();
      // LdapName.getRdns() lists RDNs in the certificate's own (DER) order, the reverse of the
      // RFC 2253 string, so the groups keep the order the certificate gives them.
      List<Rdn> rdns = new LdapName(leaf.getSubjectX500Principal().getName()).getRdns();
      for (Rdn rdn : rdns) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(String.valueOf(rdn.getValue()));
        }
      }
      if (cn == null || cn.isEmpty()) {
        return new AuthenticationResult.Rejected("x509: certificate has no common name");
      }
      return new AuthenticationResult.Authenticated(new UserInfo(cn, "", groups));
    } catch (InvalidNameException e) {
      return new AuthenticationResult.Rejected("x509: unreadable subject");
    }
  }

  private boolean signedByTrustedCa(X509Certificate leaf) {
    for (X509Certificate ca : trustedCas) {
      if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(ca.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // another CA with the same name may have signed it
      }
    }
    return false;
  }
}
