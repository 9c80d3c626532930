package dev.skiff.apiserver.proxy;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where one streaming request goes on a kubelet.
 *
 * @param host the node address chosen by the preference list
 * @param port the kubelet port the Node reports ({@code status.daemonEndpoints.kubeletEndpoint.Port})
 */
record KubeletLocation(String host, int port) {

  /** {@code https://host:port/path?query}, every query value URL-encoded. */
  URI uri(String path, Map<String, List<String>> query) {
    String q = query.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> enc(e.getKey()) + "=" + enc(v)))
        .collect(Collectors.joining("&"));
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("https://" + h + ":" + port + path + (q.isEmpty() ? "" : "?" + q));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
