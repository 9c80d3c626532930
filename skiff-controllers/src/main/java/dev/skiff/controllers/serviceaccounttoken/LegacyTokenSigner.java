package dev.skiff.controllers.serviceaccounttoken;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs legacy (Secret-based) service account tokens with the cluster's service account key, as
 * kube-controller-manager does with {@code --service-account-private-key-file}: ES256 JWTs of
 * issuer {@code kubernetes/serviceaccount} that never expire and whose private claims name the
 * namespace, the account and the Secret. The API server accepts such a token only while that Secret
 * holds it and the account exists.
 */
public final class LegacyTokenSigner {
  public static final String ISSUER = "kubernetes/serviceaccount";
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

  private final ECDSASigner signer;
  private final String keyId;

  private LegacyTokenSigner(ECDSASigner signer, String keyId) {
    this.signer = signer;
    this.keyId = keyId;
  }

  /**
   * Reads the key file the API server writes ({@code DATA_DIR/tls/service-account.key}): a PKCS#8
   * EC private key followed by its public key, both PEM.
   */
  public static LegacyTokenSigner fromKeyFile(Path file) throws IOException {
    byte[] privateDer = null;
    byte[] publicDer = null;
    Matcher m = PEM.matcher(Files.readString(file));
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "PRIVATE KEY" -> privateDer = der;
        case "PUBLIC KEY" -> publicDer = der;
        default -> { }
      }
    }
    if (privateDer == null || publicDer == null) {
      throw new IOException(file + " does not hold a PEM private and public key");
    }
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      ECPrivateKey key = (ECPrivateKey) ec.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
      // the same key id as the API server's tokens: base64url SHA-256 of the public key's DER
      ec.generatePublic(new X509EncodedKeySpec(publicDer));
      String kid = Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(publicDer));
      return new LegacyTokenSigner(new ECDSASigner(key), kid);
    } catch (GeneralSecurityException | JOSEException | ClassCastException e) {
      throw new IOException(file + " does not hold a usable EC P-256 key: " + e.getMessage(), e);
    }
  }

  /** The token of {@code secretName} for the account {@code namespace/account} with {@code accountUid}. */
  public String sign(String namespace, String account, String accountUid, String secretName) {
    Objects.requireNonNull(accountUid, "accountUid");
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("system:serviceaccount:" + namespace + ":" + account)
        .claim("kubernetes.io/serviceaccount/namespace", namespace)
        .claim("kubernetes.io/serviceaccount/secret.name", secretName)
        .claim("kubernetes.io/serviceaccount/service-account.name", account)
        .claim("kubernetes.io/serviceaccount/service-account.uid", accountUid)
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a service account token failed", e);
    }
    return jwt.serialize();
  }
}
