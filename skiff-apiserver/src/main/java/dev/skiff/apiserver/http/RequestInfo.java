package dev.skiff.apiserver.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a request path and method mean, as upstream's {@code RequestInfoFactory}: either a resource
 * request ({@code /api/v1/namespaces/NS/RESOURCE/NAME/SUBRESOURCE} or {@code /apis/G/V/...}) with its
 * Kubernetes verb, or a non-resource request.
 */
public record RequestInfo(
    boolean resourceRequest,
    String path,
    String verb,
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public static RequestInfo parse(String method, String path, Map<String, List<String>> query) {
    String verb = method.toLowerCase(Locale.ROOT);
    RequestInfo nonResource = new RequestInfo(false, path, verb, "", "", "", "", "", "");
    String[] all = trimSlashes(path).split("/");
    int i;
    String group;
    String version;
    if (all.length >= 3 && all[0].equals("api")) {
      group = "";
      version = all[1];
      i = 2;
    } else if (all.length >= 4 && all[0].equals("apis")) {
      group = all[1];
      version = all[2];
      i = 3;
    } else {
      return nonResource;
    }
    List<String> parts = List.of(all).subList(i, all.length);
    boolean watchPrefix = false;
    if (parts.getFirst().equals("watch")) {
      watchPrefix = true;
      parts = parts.subList(1, parts.size());
      if (parts.isEmpty()) {
        return nonResource;
      }
    }
    String namespace = "";
    if (parts.getFirst().equals("namespaces")) {
      if (parts.size() > 1) {
        namespace = parts.get(1);
        if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
          parts = parts.subList(2, parts.size());
        }
      }
    }
    String resource = parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : "";
    String subresource = parts.size() >= 3 ? parts.get(2) : "";
    boolean watchParam = query.getOrDefault("watch", List.of()).stream().anyMatch(v -> v.equals("true") || v.equals("1"));
    verb = switch (method) {
      case "GET", "HEAD" -> watchPrefix || watchParam ? "watch" : name.isEmpty() ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> verb;
    };
    return new RequestInfo(true, path, verb, group, version, namespace, resource, name, subresource);
  }

  /** The path without leading and trailing slashes (no regex: this runs on every request). */
  private static String trimSlashes(String path) {
    int from = 0;
    int to = path.length();
    while (from < to && path.charAt(from) == '/') {
      from++;
    }
    while (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    return path.substring(from, to);
  }
}
