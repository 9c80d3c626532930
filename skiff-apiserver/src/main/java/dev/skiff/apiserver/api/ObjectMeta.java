package dev.skiff.apiserver.api;

import dev.skiff.apiserver.json.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the {@code metadata} of an API object held as a JSON tree. Every method takes
 * the whole object; none keeps state.
 */
public final class ObjectMeta {
  private ObjectMeta() {}

  public static ObjectNode of(ObjectNode obj) {
    return Json.objectAt(obj, "metadata");
  }

  public static String name(JsonNode obj) {
    return Json.text(obj.path("metadata"), "name").orElse("");
  }

  public static String namespace(JsonNode obj) {
    return Json.text(obj.path("metadata"), "namespace").orElse("");
  }

  public static String uid(JsonNode obj) {
    return Json.text(obj.path("metadata"), "uid").orElse("");
  }

  public static String resourceVersion(JsonNode obj) {
    return Json.text(obj.path("metadata"), "resourceVersion").orElse("");
  }

  public static boolean isTerminating(JsonNode obj) {
    return obj.path("metadata").has("deletionTimestamp") && !obj.path("metadata").get("deletionTimestamp").isNull();
  }

  /** The labels; malformed entries (non-string values) are skipped. */
  public static Map<String, String> labels(JsonNode obj) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode labels = obj.path("metadata").path("labels");
    if (labels.isObject()) {
      for (Map.Entry<String, JsonNode> e : labels.properties()) {
        if (e.getValue().isString()) {
          out.put(e.getKey(), e.getValue().stringValue());
        }
      }
    }
    return out;
  }

  /** {@code creationTimestamp} as an instant, or null when absent or malformed. */
  public static Instant creationTimestamp(JsonNode obj) {
    return Json.text(obj.path("metadata"), "creationTimestamp").map(ObjectMeta::parseTime).orElse(null);
  }

  /** RFC 3339 with whole seconds in UTC, as {@code metav1.Time} serializes. */
  public static String formatTime(Instant t) {
    long second = t.getEpochSecond();
    FormattedSecond last = lastFormatted;
    if (last != null && last.second() == second) {
      return last.text();
    }
    String text = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    lastFormatted = new FormattedSecond(second, text);
    return text;
  }

  /** The last second formatted: every create stamps the current second, so most calls hit it. */
  private record FormattedSecond(long second, String text) {}

  private static volatile FormattedSecond lastFormatted;

  public static Instant parseTime(String s) {
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
