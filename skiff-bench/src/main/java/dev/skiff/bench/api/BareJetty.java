package dev.skiff.bench.api;

import dev.skiff.apiserver.http.HttpsServer;
import dev.skiff.apiserver.http.RequestBodyReader;
import dev.skiff.apiserver.pki.ClusterPki;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request path's floor: Jetty 12 built by the API server's own {@link HttpsServer} (same connector, TLS and
 * HTTP/2 settings, virtual threads), with a handler that does only what every create must do at the edges: read
 * the JSON body into a Jackson tree (with the server's {@link RequestBodyReader}), encode the tree and answer 201
 * with it. No authentication, no storage.
 * Runs in the benchmark's JVM, so the JVM's CPU over a run is the stack's cost.
 */
final class BareJetty implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Server server;

  private BareJetty(Server server) {
    this.server = server;
  }

  /** Starts on an ephemeral loopback port with a certificate from a fresh CA under {@code dataDir}. */
  static BareJetty start(Path dataDir) throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(dataDir, "127.0.0.1");
    Server server = HttpsServer.create("127.0.0.1", 0, pki.serving(), List.of(pki.ca().credential().certificate()));
    server.setHandler(new Echo());
    server.start();
    return new BareJetty(server);
  }

  URI uri(String path) {
    int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    return URI.create("https://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** The API handler's shape: a virtual thread per request, a blocking body read, one write that ends the stream. */
  private static final class Echo extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (Thread.currentThread().isVirtual()) {
        serve(request, response, callback);
      } else {
        Thread.ofVirtual().name("floor-request").start(() -> serve(request, response, callback));
      }
      return true;
    }

    private static void serve(Request request, Response response, Callback callback) {
      try {
        JsonNode tree = JSON.readTree(RequestBodyReader.read(request, request.getLength(), 3 << 20));
        byte[] body = JSON.writeValueAsBytes(tree);
        response.setStatus(201);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
      } catch (Exception e) {
        Response.writeError(request, response, callback, 400, e.getMessage());
      }
    }
  }
}
