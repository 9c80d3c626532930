package dev.skiff.apiserver.proxy;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.GenericStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod subresources that the API server proxies to the pod's kubelet (upstream
 * pkg/registry/core/pod/rest/subresources.go and strategy.go's LogLocation/ExecLocation):
 * {@code log} (GET, the kubelet's body streamed through), and {@code exec}, {@code attach} and
 * {@code portforward} (GET or POST WebSocket upgrades, relayed message by message with the
 * subprotocol the kubelet chose). The pod is checked first with upstream's messages; the node's
 * address comes from its {@code status.addresses} by {@link #addressPreference} and the port from
 * {@code status.daemonEndpoints.kubeletEndpoint.Port}.
 */
public final class PodStreamProxy {

  private static final Logger LOG = LoggerFactory.getLogger(PodStreamProxy.class);
  /** The subresources this proxy serves. */
  public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");
  /** Upstream's address types, InternalIP first: node host names need not resolve here. */
  public static final List<String> DEFAULT_ADDRESS_PREFERENCE =
      List.of("InternalIP", "InternalDNS", "Hostname", "ExternalIP", "ExternalDNS");
  /**
   * Subprotocols that are not RFC 7230 tokens, which the JDK's WebSocket client refuses to offer,
   * and the names they travel under to Skiff's kubelet (which accepts both).
   */
  private static final Map<String, String> KUBELET_ALIASES =
      Map.of("SPDY/3.1+portforward.k8s.io", "spdy3.1-tunnel.portforward.skiff.dev");
  private static final Set<String> LOG_PARAMETERS =
      Set.of("follow", "previous", "tailLines", "sinceSeconds", "sinceTime", "timestamps", "limitBytes");
  private static final Set<String> STREAM_PARAMETERS =
      Set.of("command", "stdin", "stdout", "stderr", "tty", "input", "output", "error");

  private final GenericStore pods;
  private final GenericStore nodes;
  private final KubeletClient kubelets;
  private final ServerWebSocketContainer webSockets;
  private final List<String> addressPreference;

  /** The node on this machine, whose kubelet is reached on loopback; null when there is none. */
  private final String localNode;

  public PodStreamProxy(GenericStore pods, GenericStore nodes, KubeletClient kubelets,
      ServerWebSocketContainer webSockets, List<String> addressPreference, String localNode) {
    this.localNode = localNode;
    this.pods = Objects.requireNonNull(pods, "pods");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.kubelets = Objects.requireNonNull(kubelets, "kubelets");
    this.webSockets = Objects.requireNonNull(webSockets, "webSockets");
    this.addressPreference = List.copyOf(addressPreference);
  }

  /** Serves {@code subresource} of pod {@code namespace/name}; errors are thrown as {@link StatusError}s. */
  public void handle(Exchange ex, String namespace, String name, String subresource) throws IOException {
    ObjectNode pod = pods.get(namespace, name);
    switch (subresource) {
      case "log" -> {
        requireMethod(ex, "GET");
        String container = container(pod, ex.query("container"));
        checkNotWaiting(pod, container, ex.query("previous"));
        var location = location(pod);
        logs(ex, location, "/containerLogs/%s/%s/%s".formatted(namespace, name, container), filter(ex, LOG_PARAMETERS));
      }
      case "exec", "attach" -> {
        String container = container(pod, ex.query("container"));
        String phase = pod.path("status").path("phase").asString("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
          throw StatusError.badRequest("cannot %s a container in a completed pod; current phase is %s"
              .formatted(subresource.equals("exec") ? "exec into" : "attach to", phase));
        }
        var location = location(pod);
        upgrade(ex, location.uri("/%s/%s/%s/%s".formatted(subresource, namespace, name, container),
            filter(ex, STREAM_PARAMETERS)));
      }
      default -> {
        var location = location(pod);
        upgrade(ex, location.uri("/portForward/%s/%s".formatted(namespace, name), Map.of()));
      }
    }
  }

  private static void requireMethod(Exchange ex, String method) {
    if (!ex.method().equals(method)) {
      throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
          null);
    }
  }

  /** The named container, or the only one; upstream's messages otherwise. */
  private static String container(ObjectNode pod, String requested) {
    String name = pod.path("metadata").path("name").asString("");
    List<String> all = new ArrayList<>();
    for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : pod.path("spec").path(field)) {
        all.add(c.path("name").asString(""));
      }
    }
    if (requested == null || requested.isEmpty()) {
      List<String> main = new ArrayList<>();
      for (JsonNode c : pod.path("spec").path("containers")) {
        main.add(c.path("name").asString(""));
      }
      if (main.size() == 1) {
        return main.getFirst();
      }
      throw StatusError.badRequest("a container name must be specified for pod %s, choose one of: %s"
          .formatted(name, "[" + String.join(" ", main) + "]"));
    }
    if (!all.contains(requested)) {
      throw StatusError.badRequest("container %s is not valid for pod %s".formatted(requested, name));
    }
    return requested;
  }

  /** Upstream refuses logs of a container that never ran yet, naming its waiting reason. */
  private static void checkNotWaiting(ObjectNode pod, String container, String previous) {
    if ("true".equals(previous)) {
      return;
    }
    for (String field : List.of("containerStatuses", "initContainerStatuses")) {
      for (JsonNode s : pod.path("status").path(field)) {
        if (s.path("name").asString("").equals(container) && s.path("state").has("waiting")
            && s.path("lastState").path("terminated").isMissingNode()) {
          throw StatusError.badRequest("container \"%s\" in pod \"%s\" is waiting to start: %s".formatted(container,
              pod.path("metadata").path("name").asString(""),
              s.path("state").path("waiting").path("reason").asString("")));
        }
      }
    }
  }

  private KubeletLocation location(ObjectNode pod) {
    String nodeName = pod.path("spec").path("nodeName").asString("");
    if (nodeName.isEmpty()) {
      throw StatusError.badRequest("pod %s does not have a host assigned".formatted(
          pod.path("metadata").path("name").asString("")));
    }
    ObjectNode node;
    try {
      node = nodes.get("", nodeName);
    } catch (StatusError e) {
      throw StatusError.badRequest("node %s not found: %s".formatted(nodeName, e.getMessage()));
    }
    int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    if (port <= 0) {
      port = 10250;
    }
    if (nodeName.equals(localNode)) {
      // this machine's own kubelet: no need to go through its network address
      return new KubeletLocation("127.0.0.1", port);
    }
    for (String type : addressPreference) {
      for (JsonNode a : node.path("status").path("addresses")) {
        if (a.path("type").asString("").equals(type) && !a.path("address").asString("").isEmpty()) {
          return new KubeletLocation(a.path("address").asString(""), port);
        }
      }
    }
    throw StatusError.badRequest("no preferred addresses found; known addresses: " + node.path("status").path("addresses"));
  }

  private static Map<String, List<String>> filter(Exchange ex, Set<String> names) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    ex.query().forEach((k, v) -> {
      if (names.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  private void logs(Exchange ex, KubeletLocation location, String path, Map<String, List<String>> query)
      throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = kubelets.http().send(HttpRequest.newBuilder(location.uri(path, query)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw StatusError.internal("error trying to reach the kubelet: " + e.getMessage());
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw kubeletError(response.statusCode(), new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8));
      }
      OutputStream out = ex.stream(200, "text/plain");
      byte[] buf = new byte[16 * 1024];
      int n;
      try {
        while ((n = body.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } finally {
        out.close();
      }
    }
  }

  private static StatusError kubeletError(int code, String body) {
    String message = body.strip();
    return switch (code) {
      case 400 -> StatusError.badRequest(message);
      case 404 -> new StatusError(404, "NotFound", message, null);
      default -> StatusError.internal(message);
    };
  }

  private void upgrade(Exchange ex, java.net.URI target) throws IOException {
    if (!"websocket".equalsIgnoreCase(ex.header("Upgrade"))) {
      throw StatusError.badRequest("Upgrade request required: this server speaks WebSocket (" + ex.header("Upgrade")
          + " was asked)");
    }
    List<String> offered = new ArrayList<>();
    for (String p : ex.header("Sec-WebSocket-Protocol").split(",")) {
      if (!p.isBlank()) {
        offered.add(KUBELET_ALIASES.getOrDefault(p.strip(), p.strip()));
      }
    }
    if (offered.isEmpty()) {
      throw StatusError.badRequest("no WebSocket subprotocol offered");
    }
    SocketRelay relay = new SocketRelay();
    java.net.http.WebSocket kubelet;
    try {
      kubelet = kubelets.http().newWebSocketBuilder()
          .subprotocols(offered.getFirst(), offered.subList(1, offered.size()).toArray(new String[0]))
          .connectTimeout(Duration.ofSeconds(10))
          .buildAsync(java.net.URI.create("wss" + target.toString().substring("https".length())), relay.kubeletListener()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        Object body = h.getResponse().body();
        throw kubeletError(h.getResponse().statusCode(), body == null ? "" : body.toString());
      }
      throw StatusError.internal("error trying to reach the kubelet: " + e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw StatusError.internal("error trying to reach the kubelet: " + e);
    }
    relay.kubeletConnected(kubelet);
    String chosen = KUBELET_ALIASES.entrySet().stream().filter(e -> e.getValue().equals(kubelet.getSubprotocol()))
        .map(Map.Entry::getKey).findFirst().orElse(kubelet.getSubprotocol());
    boolean upgraded = ex.upgrade(webSockets, (rq, rs, cb) -> {
      rs.setAcceptedSubProtocol(chosen);
      return relay.clientEndpoint();
    });
    if (!upgraded) {
      kubelet.abort();
      LOG.debug("client WebSocket upgrade failed for {}", target.getPath());
    }
  }
}
