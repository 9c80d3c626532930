package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.authn.AuthenticationResult;
import dev.skiff.apiserver.authn.Authenticator;
import dev.skiff.apiserver.authn.Credentials;
import dev.skiff.apiserver.authn.UserInfo;
import dev.skiff.apiserver.authz.AuthorizationAttributes;
import dev.skiff.apiserver.authz.Authorizer;
import dev.skiff.apiserver.authz.Decision;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The create-only review resources, answered from the request and never stored:
 * {@code authentication.k8s.io/v1} SelfSubjectReview ({@code kubectl auth whoami}) and TokenReview,
 * {@code authorization.k8s.io/v1} SelfSubjectAccessReview ({@code kubectl auth can-i}),
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview. Access reviews ask
 * the server's own {@link Authorizer}, so they will tell the truth once RBAC fills it.
 */
final class ReviewHandler {
  static final String AUTHENTICATION = "authentication.k8s.io";
  static final String AUTHORIZATION = "authorization.k8s.io";

  /** The review resources, for the registry and discovery. */
  static final List<ResourceDefinition> DEFINITIONS = List.of(
      review(AUTHENTICATION, "SelfSubjectReview", "selfsubjectreviews", false),
      review(AUTHENTICATION, "TokenReview", "tokenreviews", false),
      review(AUTHORIZATION, "SelfSubjectAccessReview", "selfsubjectaccessreviews", false),
      review(AUTHORIZATION, "SelfSubjectRulesReview", "selfsubjectrulesreviews", false),
      review(AUTHORIZATION, "SubjectAccessReview", "subjectaccessreviews", false),
      review(AUTHORIZATION, "LocalSubjectAccessReview", "localsubjectaccessreviews", true));

  private final Authenticator authenticator;
  private final Authorizer authorizer;

  ReviewHandler(Authenticator authenticator, Authorizer authorizer) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
  }

  private static ResourceDefinition review(String group, String kind, String plural, boolean namespaced) {
    return new ResourceDefinition(group, "v1", kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced, List.of("create"), List.of(),
        List.of(), List.of());
  }

  static boolean isReview(ResourceDefinition def) {
    return DEFINITIONS.contains(def);
  }

  void handle(Exchange ex, RequestInfo info, ResourceDefinition def, UserInfo user) throws Exception {
    if (!info.verb().equals("create") || !info.subresource().isEmpty()) {
      throw StatusError.methodNotSupported(def.group(), def.plural(), info.verb());
    }
    ObjectNode review = RequestBodies.object(ex.header("Content-Type"), ex.body());
    JsonNode spec = review.path("spec");
    ObjectNode status = switch (def.kind()) {
      case "SelfSubjectReview" -> Json.object().set("userInfo", userInfo(user));
      case "TokenReview" -> tokenReview(spec);
      case "SelfSubjectAccessReview" -> accessReview(user, spec, "");
      case "SubjectAccessReview" -> accessReview(subject(spec), spec, "");
      case "LocalSubjectAccessReview" -> accessReview(subject(spec), spec, info.namespace());
      case "SelfSubjectRulesReview" -> rulesReview(user, spec);
      default -> throw StatusError.pathNotFound();
    };
    ObjectNode out = Json.object().put("kind", def.kind()).put("apiVersion", def.group() + "/v1");
    out.set("metadata", review.path("metadata").isObject() ? review.get("metadata") : Json.object());
    if (!spec.isMissingNode()) {
      out.set("spec", spec);
    }
    out.set("status", status);
    ex.reply(201, "application/json", Json.write(out));
  }

  private static ObjectNode userInfo(UserInfo user) {
    ObjectNode u = Json.object().put("username", user.name());
    if (!user.uid().isEmpty()) {
      u.put("uid", user.uid());
    }
    var groups = u.putArray("groups");
    user.groups().forEach(groups::add);
    return u;
  }

  private ObjectNode tokenReview(JsonNode spec) {
    String token = spec.path("token").asString("");
    if (token.isEmpty()) {
      throw StatusError.unprocessable("TokenReview.authentication.k8s.io \"\" is invalid: spec.token: Required value");
    }
    return switch (authenticator.authenticate(new Credentials(List.of(), Optional.of(token)))) {
      case AuthenticationResult.Authenticated a -> {
        ObjectNode s = Json.object().put("authenticated", true);
        s.set("user", userInfo(a.user()));
        yield s;
      }
      case AuthenticationResult.NoCredentials n -> Json.object().put("authenticated", false);
      case AuthenticationResult.Rejected r -> Json.object().put("authenticated", false).put("error", r.reason());
    };
  }

  private static UserInfo subject(JsonNode spec) {
    String name = spec.path("user").asString("");
    List<String> groups = new java.util.ArrayList<>();
    spec.path("groups").forEach(g -> groups.add(g.asString("")));
    if (name.isEmpty() && groups.isEmpty()) {
      throw StatusError.unprocessable("spec.user or spec.groups: Required value");
    }
    return new UserInfo(name, spec.path("uid").asString(""), groups);
  }

  private ObjectNode accessReview(UserInfo user, JsonNode spec, String namespace) {
    JsonNode res = spec.path("resourceAttributes");
    JsonNode nonRes = spec.path("nonResourceAttributes");
    AuthorizationAttributes attributes;
    if (res.isObject()) {
      String ns = namespace.isEmpty() ? res.path("namespace").asString("") : namespace;
      attributes = new AuthorizationAttributes(user, res.path("verb").asString(""), true,
          res.path("group").asString(""), res.path("version").asString(""), res.path("resource").asString(""),
          res.path("subresource").asString(""), ns, res.path("name").asString(""), "");
    } else if (nonRes.isObject()) {
      attributes = new AuthorizationAttributes(user, nonRes.path("verb").asString(""), false, "", "", "", "", "",
          "", nonRes.path("path").asString(""));
    } else {
      throw StatusError.unprocessable(
          "spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }
    return switch (authorizer.authorize(attributes)) {
      case Decision.Allow a -> Json.object().put("allowed", true);
      case Decision.Deny d -> Json.object().put("allowed", false).put("denied", true).put("reason", d.reason());
      case Decision.NoOpinion n -> Json.object().put("allowed", false).put("reason", n.reason());
    };
  }

  /**
   * What {@code kubectl auth can-i --list} shows. Until RBAC lists rules, an allowed user gets the
   * rule that the authorizer grants it (everything), an anonymous one nothing, and the answer says
   * it is incomplete as upstream does for authorizers that cannot list rules.
   */
  private ObjectNode rulesReview(UserInfo user, JsonNode spec) {
    String namespace = spec.path("namespace").asString("");
    Decision d = authorizer.authorize(new AuthorizationAttributes(user, "*", true, "*", "*", "*", "", namespace,
        "", ""));
    ObjectNode s = Json.object();
    var resourceRules = s.putArray("resourceRules");
    var nonResourceRules = s.putArray("nonResourceRules");
    if (d instanceof Decision.Allow) {
      ObjectNode rule = resourceRules.addObject();
      rule.putArray("verbs").add("*");
      rule.putArray("apiGroups").add("*");
      rule.putArray("resources").add("*");
      ObjectNode nr = nonResourceRules.addObject();
      nr.putArray("verbs").add("*");
      nr.putArray("nonResourceURLs").add("*");
    }
    s.put("incomplete", false);
    return s;
  }
}
