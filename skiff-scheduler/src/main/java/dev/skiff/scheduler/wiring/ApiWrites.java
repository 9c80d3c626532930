package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scheduler's per-pod writes (bindings, events) as plain HTTP requests through the client's own
 * HTTP client (same connection, credentials and retry of failed connections as fabric8's typed
 * calls): the body is a JSON tree written once, the URL a string, and of the reply only the status
 * code is read. fabric8's typed {@code create} serialised the fabric8 model by reflection, built the
 * URL through {@code java.net.URL} and a regex, and decoded the whole reply into a model object that
 * nobody read: at 1,000 pods/s that was most of the scheduler's client-side CPU (JFR, session 5).
 *
 * <p>Thread-safe; blocking (call it from virtual threads).
 */
final class ApiWrites {

    /** One mapper for the trees the scheduler writes: plain JSON, no model classes involved. */
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The status code of a reply, and its body when the write was refused (for the error's message). */
    record Reply(int code, String body) {
        boolean ok() {
            return code >= 200 && code < 300;
        }

        /** The reply as fabric8's exception, as a typed call would have thrown it. */
        KubernetesClientException error(String what) {
            return new KubernetesClientException(what + ": " + code + " " + body, code, null);
        }
    }

    private final HttpClient http;
    private final String base;

    ApiWrites(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        this.http = client.getHttpClient();
        String url = client.getMasterUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A new empty JSON object to fill in. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** POSTs {@code body} to {@code path} (from the server root, starting with {@code /api/...}). */
    Reply post(String path, ObjectNode body) {
        return send(http.newHttpRequestBuilder().uri(base + path)
                .post("application/json", JSON.writeValueAsBytes(body)).build());
    }

    /** PATCHes {@code path} with {@code body} as a JSON merge patch. */
    Reply mergePatch(String path, ObjectNode body) {
        return send(http.newHttpRequestBuilder().uri(base + path)
                .method("PATCH", "application/merge-patch+json", JSON.writeValueAsString(body)).build());
    }

    private Reply send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted: " + request.method() + " " + request.uri(), e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(request.method() + " " + request.uri() + " failed", e.getCause());
        }
        int code = response.code();
        boolean ok = code >= 200 && code < 300;
        byte[] body = response.body();
        return new Reply(code, ok || body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }
}
