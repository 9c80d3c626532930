package dev.skiff.apiserver.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.pki.ServiceAccountSigningKey;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Service account issuer discovery, as upstream serves it: an OpenID provider configuration at
 * {@code /.well-known/openid-configuration} and the token-verifying keys at
 * {@code /openid/v1/jwks}, so that other parties can check this cluster's tokens.
 */
public final class IssuerDiscovery {
  public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
  public static final String KEYS_PATH = "/openid/v1/jwks";

  private final byte[] configuration;
  private final byte[] keys;

  public IssuerDiscovery(ServiceAccountSigningKey key) {
    ObjectNode config = Json.object().put("issuer", ServiceAccountTokens.ISSUER)
        .put("jwks_uri", ServiceAccountTokens.ISSUER + KEYS_PATH);
    config.putArray("response_types_supported").add("id_token");
    config.putArray("subject_types_supported").add("public");
    config.putArray("id_token_signing_alg_values_supported").add("ES256");
    this.configuration = Json.write(config);
    ECKey jwk = new ECKey.Builder(Curve.P_256, key.publicKey()).keyID(key.keyId()).keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256).build();
    JsonNode set = Json.parse(new JWKSet(jwk).toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.keys = Json.write(set);
  }

  /** The document for {@code path}, or null when the path is not one of discovery's. */
  public byte[] document(String path) {
    return switch (path) {
      case CONFIGURATION_PATH -> configuration.clone();
      case KEYS_PATH -> keys.clone();
      default -> null;
    };
  }

  /** Upstream serves the configuration as JSON and the key set as {@code application/jwk-set+json}. */
  public static String contentType(String path) {
    return KEYS_PATH.equals(path) ? "application/jwk-set+json" : "application/json";
  }
}
