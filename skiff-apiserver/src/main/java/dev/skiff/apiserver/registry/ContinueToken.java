package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A list continue token in upstream's format: base64url (no padding) of
 * {@code {"v":"meta.k8s.io/v1","rv":REV,"start":"KEY"}}, where KEY is the next key to read,
 * relative to the list's key prefix.
 *
 * @param revision the revision the first page was read at
 * @param start the key to resume at, relative to the prefix
 */
public record ContinueToken(long revision, String start) {

  public String encode() {
    String json = Json.writeString(Json.object().put("v", "meta.k8s.io/v1").put("rv", revision).put("start", start));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a token.
   *
   * @throws StatusError 400 when the token is malformed
   */
  public static ContinueToken decode(String token) {
    try {
      JsonNode n = Json.parse(Base64.getUrlDecoder().decode(token.replace("=", "")));
      if (!"meta.k8s.io/v1".equals(Json.text(n, "v").orElse("")) || !n.path("rv").isNumber()) {
        throw StatusError.badRequest("continue key is not valid: continue key is not valid");
      }
      String start = Json.text(n, "start").orElse("");
      if (start.contains("..") || start.startsWith("/")) {
        throw StatusError.badRequest("continue key is not valid: continue key is not valid");
      }
      return new ContinueToken(n.path("rv").asLong(), start);
    } catch (IllegalArgumentException | JacksonException e) {
      throw StatusError.badRequest("continue key is not valid: " + e.getMessage());
    }
  }
}
