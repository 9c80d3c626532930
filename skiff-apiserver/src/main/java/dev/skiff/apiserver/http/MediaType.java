package dev.skiff.apiserver.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media range of an Accept or Content-Type header, with its parameters ({@code as}, {@code g},
 * {@code v} select Table, PartialObjectMetadata and aggregated discovery in Kubernetes).
 */
public record MediaType(String type, String subtype, Map<String, String> params) {
  public MediaType {
    params = Map.copyOf(params);
  }

  public String essence() {
    return type + "/" + subtype;
  }

  public String param(String name) {
    return params.getOrDefault(name, "");
  }

  /** Whether this range accepts {@code application/json} (or anything). */
  public boolean acceptsJson() {
    return essence().equals("application/json") || essence().equals("application/*") || essence().equals("*/*");
  }

  public static MediaType parse(String s) {
    String[] parts = s.split(";");
    String full = parts[0].strip().toLowerCase(Locale.ROOT);
    int slash = full.indexOf('/');
    String type = slash < 0 ? full : full.substring(0, slash);
    String subtype = slash < 0 ? "" : full.substring(slash + 1);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        params.put(parts[i].substring(0, eq).strip(), parts[i].substring(eq + 1).strip().replace("\"", ""));
      }
    }
    return new MediaType(type, subtype, params);
  }

  /** The ranges of an Accept header in the order given (q-values are not weighed, as upstream). */
  public static List<MediaType> parseAccept(String header) {
    List<MediaType> out = new ArrayList<>();
    if (header == null || header.isBlank()) {
      return out;
    }
    for (String r : header.split(",")) {
      if (!r.isBlank()) {
        out.add(parse(r));
      }
    }
    return out;
  }
}
