package dev.skiff.kubelet.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads the PEM files of {@link KubeletServerConfig}: certificates and one private key. */
final class PemFiles {

  private PemFiles() {}

  /** Every certificate in {@code file}, in order. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IOException("no certificate in " + file);
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException("unreadable certificate in " + file, e);
    }
  }

  /** The private key in {@code file}: SEC1/PKCS#1 key pairs and PKCS#8 keys are accepted. */
  static PrivateKey privateKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    }
    throw new IOException("no private key in " + file);
  }
}
