package dev.skiff.kubelet.server;

import dev.skiff.kubelet.cri.ContainerSummary;
import dev.skiff.kubelet.cri.CriException;
import dev.skiff.kubelet.cri.RuntimeService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the kubelet server's requests as upstream's server.go does:
 * {@code /healthz}, {@code /containerLogs/{ns}/{pod}/{container}},
 * {@code /exec/{ns}/{pod}/{container}}, {@code /attach/{ns}/{pod}/{container}} and
 * {@code /portForward/{ns}/{pod}}. Errors are plain-text bodies with upstream's status codes;
 * the API server turns them into Status objects. Runs each request on a virtual thread.
 */
final class KubeletHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(KubeletHandler.class);

  private final RuntimeService runtime;
  private final ContainerLocator locator;
  private final ServerWebSocketContainer webSockets;

  KubeletHandler(RuntimeService runtime, ServerWebSocketContainer webSockets) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.locator = new ContainerLocator(runtime);
    this.webSockets = Objects.requireNonNull(webSockets, "webSockets");
  }

  /** An error answered with a status code and a plain-text message. */
  private static final class HttpError extends RuntimeException {
    private final int code;

    HttpError(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (Thread.currentThread().isVirtual()) {
      serve(request, response, callback);
    } else {
      Thread.ofVirtual().name("kubelet-request").start(() -> serve(request, response, callback));
    }
    return true;
  }

  private void serve(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
    try {
      Fields query = Request.extractQueryParameters(request);
      switch (parts.getFirst()) {
        case "healthz" -> text(response, callback, 200, "ok");
        case "containerLogs" -> {
          requireParts(parts, 4);
          logs(response, callback, parts.get(1), parts.get(2), parts.get(3), query);
        }
        case "exec", "attach" -> {
          requireParts(parts, 4);
          remoteCommand(request, response, callback, parts.getFirst(), parts.get(1), parts.get(2), parts.get(3), query);
        }
        case "portForward" -> {
          requireParts(parts, 3);
          portForward(request, response, callback, parts.get(1), parts.get(2));
        }
        default -> throw new HttpError(404, "404 page not found");
      }
    } catch (HttpError e) {
      text(response, callback, e.code, e.getMessage());
    } catch (CriException e) {
      text(response, callback, 500, e.getMessage());
    } catch (Exception e) {
      LOG.warn("kubelet request {} failed", path, e);
      if (!response.isCommitted()) {
        text(response, callback, 500, String.valueOf(e.getMessage()));
      } else {
        callback.failed(e);
      }
    }
  }

  private static void requireParts(List<String> parts, int n) {
    if (parts.size() != n) {
      throw new HttpError(404, "404 page not found");
    }
  }

  private void logs(Response response, Callback callback, String ns, String pod, String container, Fields query)
      throws IOException, InterruptedException {
    LogOptions options;
    try {
      options = LogOptions.parse(first(query), Instant.now());
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    Optional<ContainerSummary> instance = options.previous()
        ? locator.previous(ns, pod, container)
        : locator.current(ns, pod, container);
    if (instance.isEmpty()) {
      throw new HttpError(options.previous() ? 400 : 404, options.previous()
          ? "previous terminated container \"%s\" in pod \"%s\" not found".formatted(container, pod)
          : "container \"%s\" in pod \"%s\" not found".formatted(container, pod));
    }
    String id = instance.get().id();
    var logPath = runtime.containerStatus(id).logPath()
        .orElseThrow(() -> new HttpError(404, "container \"%s\" in pod \"%s\" has no log".formatted(container, pod)));
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      new CriLogReader(logPath, options, () -> locator.isRunning(id)).copyTo(out);
    } catch (IOException e) {
      // the client left while following: not the server's failure
      LOG.debug("log stream of {}/{}/{} ended: {}", ns, pod, container, e.toString());
    }
    callback.succeeded();
  }

  private void remoteCommand(Request request, Response response, Callback callback, String kind, String ns,
      String pod, String container, Fields query) {
    boolean stdin = bool(query, "stdin", "input");
    boolean stdout = bool(query, "stdout", "output");
    boolean stderr = bool(query, "stderr", "error");
    boolean tty = bool(query, "tty", "tty");
    List<String> command = query.getValues("command");
    if (kind.equals("exec") && (command == null || command.isEmpty())) {
      throw new HttpError(400, "you must specify at least 1 command");
    }
    if (!stdin && !stdout && !stderr) {
      throw new HttpError(400, "you must specify at least 1 of stdin, stdout, stderr");
    }
    String protocol = subprotocol(request, List.of(RemoteCommandRelay.V5, RemoteCommandRelay.V4));
    ContainerSummary c = locator.running(ns, pod, container)
        .orElseThrow(() -> new HttpError(404, "container not found (\"%s\")".formatted(container)));
    // with a TTY, stderr is merged into stdout (upstream: the runtime rejects both)
    String url = kind.equals("exec")
        ? runtime.exec(c.id(), command, tty, stdin, stdout, stderr && !tty)
        : runtime.attach(c.id(), tty, stdin, stdout, stderr && !tty);
    upgrade(request, response, callback, protocol,
        new RemoteCommandRelay(url, new RemoteCommandRelay.Streams(stdin, stdout, stderr && !tty, tty)));
  }

  private void portForward(Request request, Response response, Callback callback, String ns, String pod) {
    String protocol = subprotocol(request, List.of(PortForwardTunnel.PROTOCOL, PortForwardTunnel.PROTOCOL_TOKEN));
    var sandbox = locator.readySandbox(ns, pod)
        .orElseThrow(() -> new HttpError(404, "pod not found (\"%s\")".formatted(pod)));
    upgrade(request, response, callback, protocol, new PortForwardTunnel(runtime, sandbox.id()));
  }

  private void upgrade(Request request, Response response, Callback callback, String protocol, MessageRelay relay) {
    boolean upgraded = webSockets.upgrade((rq, rs, cb) -> {
      rs.setAcceptedSubProtocol(protocol);
      return new ServerSocketPeer(relay);
    }, request, response, callback);
    if (!upgraded) {
      throw new HttpError(400, "this endpoint needs a WebSocket upgrade");
    }
  }

  /** The first of {@code supported} the client offers as a WebSocket subprotocol. */
  private static String subprotocol(Request request, List<String> supported) {
    List<String> offered = new ArrayList<>();
    for (String h : request.getHeaders().getValuesList(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL)) {
      for (String p : h.split(",")) {
        offered.add(p.strip());
      }
    }
    for (String p : supported) {
      if (offered.contains(p)) {
        return p;
      }
    }
    throw new HttpError(400, "unable to upgrade: none of the offered subprotocols " + offered
        + " is supported; supported: " + supported);
  }

  private static boolean bool(Fields query, String name, String legacy) {
    String v = query.getValue(name);
    if (v == null) {
      v = query.getValue(legacy);
    }
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  private static Map<String, String> first(Fields query) {
    Map<String, String> out = new HashMap<>();
    for (Fields.Field f : query) {
      out.put(f.getName(), f.getValue());
    }
    return out;
  }

  private static void text(Response response, Callback callback, int code, String message) {
    response.setStatus(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
  }
}
