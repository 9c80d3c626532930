package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * One HTTP request and its response, over Jetty's core API: the few things the API handlers need
 * (path, query, headers, body) and two ways to answer (one body, or a stream for watches). Used by
 * one virtual thread; exactly one of {@link #reply} or {@link #stream} is called.
 */
public final class Exchange {
  /** The most request body bytes read; upstream's limit is 3 MiB. */
  private static final int MAX_BODY = 3 * 1024 * 1024;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Map<String, List<String>> query;
  private boolean answered;

  Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    Map<String, List<String>> q = new LinkedHashMap<>();
    Fields fields = Request.extractQueryParameters(request);
    for (Fields.Field f : fields) {
      q.put(f.getName(), f.getValues());
    }
    this.query = Map.copyOf(q);
  }

  public String method() {
    return request.getMethod();
  }

  public String path() {
    String p = request.getHttpURI().getDecodedPath();
    return p == null || p.isEmpty() ? "/" : p;
  }

  public Map<String, List<String>> query() {
    return query;
  }

  /** The first value of a query parameter, or "". */
  public String query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? "" : v.getFirst();
  }

  public String header(String name) {
    String v = request.getHeaders().get(name);
    return v == null ? "" : v;
  }

  Request request() {
    return request;
  }

  /** The request body, at most 3 MiB. */
  public byte[] body() throws IOException {
    try {
      return RequestBodyReader.read(request, request.getLength(), MAX_BODY);
    } catch (RequestBodyReader.TooLargeException e) {
      throw new StatusError(413, "RequestEntityTooLarge",
          "the request body is too large", null);
    }
  }

  /** Adds a {@code Warning} header (code 299), which kubectl prints as "Warning: MESSAGE". */
  public void addWarning(String message) {
    String header = "299 - \"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    // once per message, as upstream's warning recorder (a retried update may find the same problem again)
    if (!response.getHeaders().getValuesList("Warning").contains(header)) {
      response.getHeaders().add("Warning", header);
    }
  }

  /** Sets a response header (before {@link #reply} or {@link #stream}), replacing any earlier value. */
  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  public boolean answered() {
    return answered;
  }

  public void reply(int status, String contentType, byte[] body) {
    reply(status, contentType, body, body.length);
  }

  /** As {@link #reply(int, String, byte[])} with the first {@code length} bytes of {@code body}. */
  public void reply(int status, String contentType, byte[] body, int length) {
    answered = true;
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    response.getHeaders().put("Cache-Control", "no-cache, private");
    response.write(true, ByteBuffer.wrap(body, 0, length), callback);
  }

  /**
   * Starts a streamed response. The caller writes and flushes each event, and must close the stream
   * to end the response.
   */
  public OutputStream stream(int status, String contentType) throws IOException {
    answered = true;
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put("Cache-Control", "no-cache, private");
    // Send the headers now: clients (fabric8's informers) count a watch as started only once
    // they have them, and an idle watch may write nothing for a long time.
    FutureCallback committed = new FutureCallback();
    response.write(false, ByteBuffer.allocate(0), committed);
    try {
      committed.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("could not start the response stream", e);
    }
    OutputStream out = Content.Sink.asOutputStream(response);
    return new java.io.FilterOutputStream(out) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          out.close();
          callback.succeeded();
        } catch (IOException e) {
          callback.failed(e);
          throw e;
        }
      }
    };
  }

  /**
   * Upgrades this request to a WebSocket whose endpoint {@code creator} makes; false when the
   * request is not a valid upgrade.
   */
  public boolean upgrade(ServerWebSocketContainer container,
      WebSocketCreator creator) {
    boolean upgraded = container.upgrade(creator, request, response, callback);
    answered = upgraded;
    return upgraded;
  }

  /**
   * The response body as Jetty's asynchronous sink, for a stream already started with
   * {@link #stream}: writes to it must not overlap each other or writes to that stream's
   * OutputStream.
   */
  Content.Sink streamSink() {
    return response;
  }

  /** Runs {@code r} when the client goes away or the stream fails (for ending watches early). */
  public void onFailure(Runnable r) {
    request.addFailureListener(t -> r.run());
  }

  void fail(Throwable t) {
    callback.failed(t);
  }
}
