package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The key pair that signs service account tokens ({@code DATA_DIR/tls/service-account.key}, EC
 * P-256, as kube-apiserver's {@code --service-account-signing-key-file}). Made on first start and
 * kept: tokens issued before a restart stay valid.
 *
 * @param keyId the {@code kid} of the tokens: the unpadded base64url SHA-256 of the public key's
 *     DER encoding, as upstream derives it
 */
public record ServiceAccountSigningKey(ECPrivateKey privateKey, ECPublicKey publicKey, String keyId) {
  private static final String FILE = "service-account.key";

  public static ServiceAccountSigningKey loadOrCreate(Path tlsDir) {
    Path file = tlsDir.resolve(FILE);
    try {
      if (!Files.isRegularFile(file)) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = g.generateKeyPair();
        Files.createDirectories(tlsDir);
        Path tmp = tlsDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // PKCS#8 private key, then the public key: both read back without deriving one from the other
        Files.writeString(tmp, Credential.pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()))
            + Credential.pem(new PemObject("PUBLIC KEY", pair.getPublic().getEncoded())));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (!(parser.readObject() instanceof PrivateKeyInfo privateKey)
            || !(parser.readObject() instanceof SubjectPublicKeyInfo publicKey)) {
          throw new IllegalStateException(file + " does not hold an EC private and public key; remove it to have a"
              + " new one made (tokens issued with the old key stop working)");
        }
        ECPublicKey pub = (ECPublicKey) converter.getPublicKey(publicKey);
        return new ServiceAccountSigningKey((ECPrivateKey) converter.getPrivateKey(privateKey), pub, keyId(pub));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 support", e);
    }
  }

  private static String keyId(ECPublicKey key) throws GeneralSecurityException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }
}
