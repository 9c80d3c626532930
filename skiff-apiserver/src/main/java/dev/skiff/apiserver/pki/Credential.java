package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A private key and its certificate, stored as two PEM files ({@code NAME.crt}, {@code NAME.key})
 * in the format that Go's {@code tls.X509KeyPair} (and so kubectl) reads.
 */
public record Credential(PrivateKey key, X509Certificate certificate) {
  public Credential {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificate, "certificate");
  }

  public static boolean exists(Path dir, String name) {
    return Files.isRegularFile(dir.resolve(name + ".crt"))
        && Files.isRegularFile(dir.resolve(name + ".key"));
  }

  public static Credential read(Path dir, String name) {
    try {
      List<X509Certificate> certs = readCertificates(Files.readString(dir.resolve(name + ".crt")));
      if (certs.isEmpty()) {
        throw new IllegalStateException("no certificate in " + dir.resolve(name + ".crt"));
      }
      return new Credential(readKey(Files.readString(dir.resolve(name + ".key"))), certs.getFirst());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes both files; the key file is readable by its owner only. */
  public void write(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".crt"), certificatePem());
      Path keyFile = dir.resolve(name + ".key");
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, keyPem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String certificatePem() {
    return pem(certificate);
  }

  /**
   * The key as SEC1 ({@code EC PRIVATE KEY}) with its named curve and public key, as openssl writes
   * it: the one form that Go (kubectl) and fabric8 both read. (The JDK's own encodings leave the
   * curve or the public key out, which one or the other rejects.)
   */
  public String keyPem() {
    try {
      org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
      org.bouncycastle.asn1.DERBitString publicKey = new org.bouncycastle.asn1.DERBitString(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
          .getInstance(certificate.getPublicKey().getEncoded()).getPublicKeyData().getOctets());
      java.math.BigInteger d = ((java.security.interfaces.ECPrivateKey) key).getS();
      int bits = ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength();
      byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(bits, d, publicKey, curve).getEncoded();
      return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate in a PEM bundle, in order. */
  public static List<X509Certificate> readCertificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate bundle: " + e.getMessage(), e);
    }
    return out;
  }

  static PrivateKey readKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return switch (o) {
        case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case null, default -> throw new IllegalArgumentException("no private key in PEM");
      };
    }
  }
}
