package dev.skiff.apiserver.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that issues ECDSA P-256 certificates: a self-signed root, serving
 * certificates with subject alternative names, and client certificates whose subject carries the
 * Kubernetes user (CN) and groups (O), as kube-apiserver's x509 authenticator reads them.
 */
public final class CertificateAuthority {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Credential ca;

  public CertificateAuthority(Credential ca) {
    this.ca = Objects.requireNonNull(ca, "ca");
  }

  public Credential credential() {
    return ca;
  }

  /** A new self-signed root valid for ten years. */
  public static CertificateAuthority createRoot(String commonName) {
    KeyPair pair = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(name, name, pair.getPublic(), CA_VALIDITY);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(new Credential(pair.getPrivate(), sign(b, pair)));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA", e);
    }
  }

  /** A serving certificate for the given DNS names and IP addresses. */
  public Credential issueServing(String commonName, List<String> dnsNames, List<InetAddress> ips) {
    GeneralName[] sans =
        Stream.concat(
                dnsNames.stream().map(d -> new GeneralName(GeneralName.dNSName, d)),
                ips.stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip.getHostAddress())))
            .toArray(GeneralName[]::new);
    return issue(
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(),
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(sans));
  }

  /** A client certificate for {@code user} in {@code groups}. */
  public Credential issueClient(String user, List<String> groups) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    groups.forEach(g -> name.addRDN(BCStyle.O, g));
    name.addRDN(BCStyle.CN, user);
    return issue(name.build(), KeyPurposeId.id_kp_clientAuth, null);
  }

  private Credential issue(X500Name subject, KeyPurposeId purpose, GeneralNames sans) {
    KeyPair pair = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder b = builder(issuer, subject, pair.getPublic(), LEAF_VALIDITY);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
      if (sans != null) {
        b.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      return new Credential(pair.getPrivate(), sign(b, new KeyPair(ca.certificate().getPublicKey(), ca.key())));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate", e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
    // Backdate a little so that a client whose clock runs slightly behind accepts the certificate.
    Instant now = Instant.now().minus(Duration.ofMinutes(5));
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, RANDOM).add(BigInteger.ONE),
        Date.from(now),
        Date.from(now.plus(validity)),
        subject,
        key);
  }

  private static java.security.cert.X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 support", e);
    }
  }
}
