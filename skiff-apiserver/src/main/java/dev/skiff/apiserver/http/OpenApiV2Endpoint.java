package dev.skiff.apiserver.http;

import dev.skiff.apiserver.discovery.OpenApiV2;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Answers {@code GET /openapi/v2} as upstream's kube-openapi handler does: the first Accept range
 * that matches JSON or gnostic protobuf chooses the body (no Accept: JSON), the body's ETag is
 * sent, and a request whose {@code If-None-Match} names that ETag gets 304 without a body; nothing
 * acceptable gets 406.
 */
final class OpenApiV2Endpoint {
  /** client-go's {@code DiscoveryClient.OpenAPISchema()} asks for this. */
  static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  /**
   * The Content-Type of the protobuf answer, as upstream's: Go's mime parser, which client-go runs on
   * every response, refuses the {@code @} of the requested type.
   */
  static final String PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private OpenApiV2Endpoint() {}

  static void serve(Exchange ex, OpenApiV2 openapi) {
    ex.setHeader("Vary", "Accept");
    for (MediaType m : MediaType.parseAccept(ex.header("Accept").isBlank() ? "*/*" : ex.header("Accept"))) {
      boolean anyType = m.type().equals("*") || m.type().equals("application");
      boolean json = anyType && (m.subtype().equals("*") || m.subtype().equals("json"));
      boolean protobuf = m.type().equals("application")
          && (m.subtype().equals(PROTOBUF.substring(12)) || m.subtype().equals(PROTOBUF_CONTENT_TYPE.substring(12)));
      if (json || protobuf) {
        OpenApiV2.Snapshot s = openapi.current();
        byte[] body = json ? s.json() : s.protobuf();
        String etag = json ? s.jsonEtag() : s.protobufEtag();
        ex.setHeader("ETag", etag);
        if (matches(ex.header("If-None-Match"), etag)) {
          ex.reply(304, json ? "application/json" : PROTOBUF_CONTENT_TYPE, new byte[0]);
        } else {
          ex.reply(200, json ? "application/json" : PROTOBUF_CONTENT_TYPE, body);
        }
        return;
      }
    }
    ex.reply(406, "text/plain; charset=utf-8", "406 Not Acceptable".getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 9110 If-None-Match: {@code *} or a list of (possibly weak) entity tags. */
  private static boolean matches(String ifNoneMatch, String etag) {
    return Arrays.stream(ifNoneMatch.split(",")).map(String::strip).map(t -> t.startsWith("W/") ? t.substring(2) : t)
        .anyMatch(t -> t.equals("*") || t.equals(etag));
  }
}
