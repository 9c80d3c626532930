package dev.skiff.apiserver.serviceaccount;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code serviceaccounts/token} subresource: answers a TokenRequest
 * ({@code authentication.k8s.io/v1}) with a signed token for the account, as upstream's token REST
 * storage does: audiences default to the API's, lifetime to one hour (at least ten minutes), and a
 * token may be bound to a Pod, Secret or Node that must exist (and match the uid given). Nothing is
 * stored.
 */
public final class TokenRequests {
  /** The lifetime the kubelet asks for; such tokens are extended to a year, with a warn-after time. */
  static final long KUBELET_EXPIRATION_SECONDS = 3607;
  private static final Duration EXTENDED_EXPIRATION = Duration.ofDays(365);
  private static final long DEFAULT_EXPIRATION_SECONDS = 3600;
  private static final long MIN_EXPIRATION_SECONDS = 600;
  private static final long MAX_EXPIRATION_SECONDS = 1L << 32;

  private final ServiceAccountTokens tokens;
  private final ClusterObjects objects;
  private final List<String> apiAudiences;
  private final InstantSource clock;

  public TokenRequests(ServiceAccountTokens tokens, ClusterObjects objects, List<String> apiAudiences,
      InstantSource clock) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.apiAudiences = List.copyOf(apiAudiences);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Issues a token for ServiceAccount {@code namespace/name}.
   *
   * @return the TokenRequest with its spec defaulted and status.token set
   * @throws StatusError 404 when the account or the bound object is missing, 422 for an invalid
   *     request, 409 when the bound object's uid differs from the request's
   */
  public ObjectNode create(String namespace, String name, JsonNode request, boolean dryRun) {
    String bodyName = ObjectMeta.name(request);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusError.badRequest("the name of the object (%s) does not match the name on the URL (%s)"
          .formatted(bodyName, name));
    }
    JsonNode spec = request.path("spec");
    List<String> audiences = new ArrayList<>();
    spec.path("audiences").forEach(a -> audiences.add(a.asString("")));
    boolean defaultAudiences = audiences.isEmpty();
    if (defaultAudiences) {
      audiences.addAll(apiAudiences);
    }
    long seconds = spec.path("expirationSeconds").asLong(DEFAULT_EXPIRATION_SECONDS);
    List<FieldError> errors = new ArrayList<>();
    if (seconds < MIN_EXPIRATION_SECONDS) {
      errors.add(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds), "may not specify a duration less than 10 minutes"));
    } else if (seconds > MAX_EXPIRATION_SECONDS) {
      errors.add(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds), "may not specify a duration larger than 2^32 seconds"));
    }
    JsonNode ref = spec.path("boundObjectRef");
    String boundKind = ref.path("kind").asString("");
    if (ref.isObject() && !List.of("Pod", "Secret", "Node").contains(boundKind)) {
      errors.add(FieldError.notSupported("spec.boundObjectRef.kind", boundKind, List.of("Pod", "Node", "Secret")));
    }
    if (!errors.isEmpty()) {
      throw StatusError.invalid("authentication.k8s.io", "TokenRequest", name, errors);
    }
    ObjectNode account = objects.find("ServiceAccount", namespace, name)
        .orElseThrow(() -> StatusError.notFound("", "serviceaccounts", name));
    Optional<ServiceAccountTokens.BoundObject> bound = Optional.empty();
    Optional<ServiceAccountTokens.BoundObject> node = Optional.empty();
    if (ref.isObject()) {
      String refName = ref.path("name").asString("");
      ObjectNode obj = objects.find(boundKind, namespace, refName)
          .orElseThrow(() -> StatusError.notFound("", boundKind.toLowerCase(java.util.Locale.ROOT) + "s", refName));
      String wantUid = ref.path("uid").asString("");
      if (!wantUid.isEmpty() && !wantUid.equals(ObjectMeta.uid(obj))) {
        throw StatusError.conflict("", boundKind.toLowerCase(java.util.Locale.ROOT) + "s", refName,
            "the UID in the bound object reference (%s) does not match the UID in record. The object might have been deleted and then recreated"
                .formatted(wantUid));
      }
      bound = Optional.of(new ServiceAccountTokens.BoundObject(boundKind, refName, ObjectMeta.uid(obj)));
      String nodeName = obj.path("spec").path("nodeName").asString("");
      if (boundKind.equals("Pod") && !nodeName.isEmpty()) {
        node = objects.find("Node", "", nodeName)
            .map(n -> new ServiceAccountTokens.BoundObject("Node", nodeName, ObjectMeta.uid(n)));
      }
    }
    Instant now = clock.instant();
    Instant expires = now.plusSeconds(seconds);
    Optional<Instant> warnAfter = Optional.empty();
    if (seconds == KUBELET_EXPIRATION_SECONDS && defaultAudiences) {
      warnAfter = Optional.of(expires);
      expires = now.plus(EXTENDED_EXPIRATION);
    }
    String token = dryRun ? "" : tokens.issue(new ServiceAccountTokens.Claims(namespace, name, ObjectMeta.uid(account),
        audiences, now, expires, bound, node, warnAfter));
    ObjectNode out = Json.object().put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
    out.putObject("metadata").put("name", name).put("namespace", namespace)
        .put("creationTimestamp", ObjectMeta.formatTime(now));
    ObjectNode outSpec = out.putObject("spec");
    audiences.forEach(outSpec.putArray("audiences")::add);
    outSpec.put("expirationSeconds", seconds);
    if (ref.isObject()) {
      outSpec.set("boundObjectRef", ref.deepCopy());
    }
    out.putObject("status").put("token", token)
        .put("expirationTimestamp", ObjectMeta.formatTime(now.plusSeconds(seconds)));
    return out;
  }
}
