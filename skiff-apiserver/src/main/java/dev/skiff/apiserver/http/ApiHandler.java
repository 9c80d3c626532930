package dev.skiff.apiserver.http;

import dev.skiff.apiserver.proxy.KubeletClient;
import dev.skiff.apiserver.proxy.PodStreamProxy;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.authn.AuthenticationResult;
import dev.skiff.apiserver.authn.Authenticator;
import dev.skiff.apiserver.authn.Credentials;
import dev.skiff.apiserver.authn.UserInfo;
import dev.skiff.apiserver.authz.AuthorizationAttributes;
import dev.skiff.apiserver.authz.Authorizer;
import dev.skiff.apiserver.authz.Decision;
import dev.skiff.apiserver.discovery.DiscoveryDocuments;
import dev.skiff.apiserver.discovery.OpenApiDocuments;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceRegistry;
import dev.skiff.apiserver.health.HealthChecks;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.NamespaceDeletion;
import dev.skiff.apiserver.registry.Patches;
import dev.skiff.apiserver.registry.apiextensions.CustomResourceStrategy;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.ValueTooLargeException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP entry point: authenticates, authorizes, and routes each request to health, version,
 * discovery or the resource handler, turning every {@link StatusError} into a Status response.
 * Blocking; Jetty runs it on a virtual thread per request.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final ResourceRegistry registry;
  private final DiscoveryDocuments discovery;
  private final OpenApiDocuments openapi;
  private final HealthChecks health;
  private final ResourceHandler resources;
  private final String serverAddress;
  private final ReviewHandler reviews;
  /** Pod log/exec/attach/portforward to kubelets; absent when the handler is built without a kubelet client. */
  private PodStreamProxy podStreams;
  /** TokenRequests and issuer discovery; absent when the server issues no service account tokens. */
  private ServiceAccountHandler serviceAccounts;

  ApiHandler(Authenticator authenticator, Authorizer authorizer, ResourceRegistry registry, HealthChecks health,
      ResourceHandler resources, String serverAddress, OpenApiDocuments openapi) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.discovery = new DiscoveryDocuments(registry);
    this.openapi = Objects.requireNonNull(openapi, "openapi");
    this.health = Objects.requireNonNull(health, "health");
    this.resources = Objects.requireNonNull(resources, "resources");
    this.serverAddress = serverAddress;
    this.reviews = new ReviewHandler(authenticator, authorizer);
  }

  /** The create-only review resources this handler answers itself; the server registers them for discovery. */
  public static List<ResourceDefinition> reviewResources() {
    return ReviewHandler.DEFINITIONS;
  }

  /** The handler over {@code stores}, one per registered resource. */
  public static ApiHandler create(Authenticator authenticator, Authorizer authorizer, ResourceRegistry registry,
      HealthChecks health, Map<ResourceDefinition, GenericStore> stores,
      java.time.InstantSource clock, java.time.Duration bookmarkInterval, String serverAddress,
      ServerWebSocketContainer webSockets) {
    // a custom resource's schema is its strategy's; built-in kinds are described from their model classes
    OpenApiDocuments openapi = new OpenApiDocuments(registry,
        def -> Optional.ofNullable(stores.get(def)).map(GenericStore::strategy)
            .filter(CustomResourceStrategy.class::isInstance)
            .map(s -> ((CustomResourceStrategy) s).schema().root()),
        Patches::mergeKeys);
    return new ApiHandler(authenticator, authorizer, registry, health,
        new ResourceHandler(stores, new NamespaceDeletion(clock), clock, bookmarkInterval, webSockets), serverAddress,
        openapi);
  }

  /**
   * As {@link #create}, also proxying pod log/exec/attach/portforward to the pods' kubelets
   * through {@code kubelets}, choosing node addresses by {@code addressPreference}.
   */
  public static ApiHandler create(Authenticator authenticator, Authorizer authorizer, ResourceRegistry registry,
      HealthChecks health, Map<ResourceDefinition, GenericStore> stores,
      java.time.InstantSource clock, java.time.Duration bookmarkInterval, String serverAddress,
      ServerWebSocketContainer webSockets, KubeletClient kubelets, List<String> addressPreference,
      String localNode) {
    ApiHandler handler = create(authenticator, authorizer, registry, health, stores, clock, bookmarkInterval,
        serverAddress, webSockets);
    GenericStore pods = null;
    GenericStore nodes = null;
    for (var e : stores.entrySet()) {
      if (e.getKey().group().isEmpty() && e.getKey().plural().equals("pods")) {
        pods = e.getValue();
      } else if (e.getKey().group().isEmpty() && e.getKey().plural().equals("nodes")) {
        nodes = e.getValue();
      }
    }
    handler.podStreams = new PodStreamProxy(pods, nodes, kubelets, webSockets, addressPreference, localNode);
    return handler;
  }

  /** Serves service account TokenRequests and issuer discovery through {@code handler}. */
  public ApiHandler withServiceAccounts(ServiceAccountHandler handler) {
    this.serviceAccounts = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** Ends every open watch stream (at shutdown, so that Jetty can stop promptly). */
  public void endWatches() {
    resources.close();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (Thread.currentThread().isVirtual()) {
      serve(request, response, callback);
    } else {
      // Jetty sometimes calls handlers on its own platform threads; a watch holds its thread for
      // up to 30 minutes, so every request runs on a virtual thread of its own.
      Thread.ofVirtual().name("api-request").start(() -> serve(request, response, callback));
    }
    return true;
  }

  private void serve(Request request, Response response, Callback callback) {
    Exchange ex;
    try {
      ex = new Exchange(request, response, callback);
    } catch (RuntimeException e) {
      // an undecodable query string: nothing of the request can be trusted
      Response.writeError(request, response, callback, 400, "malformed request: " + e.getMessage());
      return;
    }
    LOG.debug("{} {} {}?{} accept={}", request.getConnectionMetaData().getProtocol(), ex.method(), ex.path(),
        request.getHttpURI().getQuery(), ex.header("Accept"));
    try {
      dispatch(ex);
    } catch (StatusError e) {
      replyError(ex, e);
    } catch (JacksonException e) {
      replyError(ex, StatusError.badRequest(e.getOriginalMessage()));
    } catch (ValueTooLargeException e) {
      replyError(ex, new StatusError(413, "RequestEntityTooLarge", "Request entity too large: " + e.getMessage(), null));
    } catch (StoreException e) {
      LOG.warn("storage failure on {} {}: {}", ex.method(), ex.path(), e.toString());
      replyError(ex, StatusError.internal(e.getMessage()));
    } catch (Exception e) {
      LOG.error("failure on {} {}", ex.method(), ex.path(), e);
      replyError(ex, StatusError.internal(String.valueOf(e.getMessage())));
    }
  }

  private void replyError(Exchange ex, StatusError e) {
    if (ex.answered()) {
      LOG.debug("error after the response started on {}: {}", ex.path(), e.getMessage());
      return;
    }
    ex.reply(e.code(), "application/json", Json.write(e.toStatus()));
  }

  private void dispatch(Exchange ex) throws Exception {
    UserInfo user = authenticate(ex);
    RequestInfo info = RequestInfo.parse(ex.method(), ex.path(), ex.query());
    Decision d = authorizer.authorize(new AuthorizationAttributes(user, info.verb(), info.resourceRequest(),
        info.group(), info.version(), info.resource(), info.subresource(), info.namespace(), info.name(), info.path()));
    if (!(d instanceof Decision.Allow)) {
      if (user.isAnonymous()) {
        throw StatusError.unauthorized();
      }
      String reason = d instanceof Decision.Deny deny ? deny.reason() : "";
      throw StatusError.forbidden(forbiddenMessage(user, info) + (reason.isEmpty() ? "" : ": " + reason));
    }
    if (info.resourceRequest()) {
      ResourceDefinition def = registry.find(info.group(), info.version(), info.resource())
          .orElseThrow(StatusError::pathNotFound);
      if (ReviewHandler.isReview(def)) {
        reviews.handle(ex, info, def, user);
        return;
      }
      if (serviceAccounts != null && ServiceAccountHandler.isTokenRequest(info)) {
        serviceAccounts.createToken(ex, info);
        return;
      }
      if (podStreams != null && info.group().isEmpty() && info.resource().equals("pods")
          && PodStreamProxy.SUBRESOURCES.contains(info.subresource())) {
        podStreams.handle(ex, info.namespace(), info.name(), info.subresource());
        return;
      }
      resources.handle(ex, info, def);
      return;
    }
    serveNonResource(ex);
  }

  private static String forbiddenMessage(UserInfo user, RequestInfo info) {
    if (!info.resourceRequest()) {
      return "forbidden: User \"%s\" cannot %s path \"%s\"".formatted(user.name(), info.verb(), info.path());
    }
    String res = StatusError.qualified(info.group(), info.resource());
    return "%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\"%s".formatted(
        res, user.name(), info.verb(), info.resource(), info.group(),
        info.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + info.namespace() + "\"");
  }

  private UserInfo authenticate(Exchange ex) {
    List<X509Certificate> chain = List.of();
    Object ssl = ex.request().getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
    if (ssl instanceof EndPoint.SslSessionData data && data.peerCertificates() != null) {
      chain = List.of(data.peerCertificates());
    }
    Optional<String> token = Optional.empty();
    String authz = ex.header("Authorization");
    if (authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = authz.substring(7).strip();
      if (!t.isEmpty()) {
        token = Optional.of(t);
      }
    }
    return switch (authenticator.authenticate(new Credentials(chain, token))) {
      case AuthenticationResult.Authenticated a -> a.user();
      case AuthenticationResult.NoCredentials n -> UserInfo.ANONYMOUS;
      case AuthenticationResult.Rejected r -> {
        LOG.debug("authentication rejected: {}", r.reason());
        throw StatusError.unauthorized();
      }
    };
  }

  private void serveNonResource(Exchange ex) {
    String path = ex.path().length() > 1 && ex.path().endsWith("/") ? ex.path().substring(0, ex.path().length() - 1) : ex.path();
    if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
      throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null);
    }
    if (serviceAccounts != null && serviceAccounts.serveDiscovery(ex, path)) {
      return;
    }
    String[] parts = path.substring(1).split("/", 2);
    switch (parts[0]) {
      case "version" -> json(ex, VersionInfo.document());
      case "healthz", "livez", "readyz" -> {
        Set<String> exclude = new HashSet<>(ex.query().getOrDefault("exclude", List.of()));
        HealthChecks.Report r = health.run(parts[0], parts.length > 1 ? parts[1] : "",
            ex.query().containsKey("verbose"), exclude);
        if (r == null) {
          throw StatusError.pathNotFound();
        }
        ex.reply(r.status(), "text/plain; charset=utf-8", r.body().getBytes(StandardCharsets.UTF_8));
      }
      case "api" -> {
        if (parts.length == 1) {
          discoveryRoot(ex, true);
        } else {
          json(ex, orNotFound(discovery.resourceList("", parts[1])));
        }
      }
      case "apis" -> {
        if (parts.length == 1) {
          discoveryRoot(ex, false);
          return;
        }
        String[] gv = parts[1].split("/");
        json(ex, orNotFound(gv.length == 1 ? discovery.group(gv[0]) : discovery.resourceList(gv[0], gv[1])));
      }
      case "openapi" -> {
        if (parts.length > 1 && parts[1].equals("v2")) {
          OpenApiV2Endpoint.serve(ex, openapi.v2());
        } else if (parts.length > 1 && parts[1].equals("v3")) {
          json(ex, openapi.index());
        } else if (parts.length > 1 && parts[1].startsWith("v3/")) {
          json(ex, orNotFound(openapi.document(parts[1].substring(3))));
        } else {
          throw StatusError.pathNotFound();
        }
      }
      default -> throw StatusError.pathNotFound();
    }
  }

  private void discoveryRoot(Exchange ex, boolean core) {
    for (MediaType m : MediaType.parseAccept(ex.header("Accept"))) {
      if (m.param("g").equals("apidiscovery.k8s.io") && m.param("as").equals("APIGroupDiscoveryList")
          && m.param("v").equals("v2")) {
        ex.reply(200, DiscoveryDocuments.AGGREGATED_V2, Json.write(discovery.aggregated(core)));
        return;
      }
      if (m.acceptsJson() && m.param("as").isEmpty()) {
        break;
      }
    }
    json(ex, core ? discovery.apiVersions(serverAddress) : discovery.groupList());
  }

  private static JsonNode orNotFound(JsonNode n) {
    if (n == null) {
      throw StatusError.pathNotFound();
    }
    return n;
  }

  private static void json(Exchange ex, JsonNode body) {
    ex.reply(200, "application/json", Json.write(body));
  }
}
