package dev.skiff.apiserver.json;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The API server's one JSON and YAML codec for object trees. The server keeps API objects as
 * Jackson trees (it is generic over kinds), so this is the only place that turns bytes into trees
 * and back.
 *
 * <p>Thread-safe: the mappers are immutable.
 */
public final class Json {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private Json() {}

  public static JsonNodeFactory nodes() {
    return JSON.getNodeFactory();
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /**
   * Parses JSON bytes.
   *
   * @throws JacksonException if the bytes are not one well-formed JSON value
   */
  public static JsonNode parse(byte[] bytes) {
    return JSON.readTree(bytes);
  }

  /**
   * Parses YAML bytes (a single document); JSON is YAML, so this also reads JSON.
   *
   * @throws JacksonException if the bytes are not well-formed YAML
   */
  public static JsonNode parseYaml(byte[] bytes) {
    return YAML.readTree(bytes);
  }

  public static byte[] write(JsonNode node) {
    return JSON.writeValueAsBytes(node);
  }

  public static String writeString(JsonNode node) {
    return JSON.writeValueAsString(node);
  }

  public static byte[] writeYaml(JsonNode node) {
    return YAML.writeValueAsBytes(node);
  }

  /** The string at {@code node.field}, or empty when the field is missing, null or not a string. */
  public static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isString() ? Optional.of(v.stringValue()) : Optional.empty();
  }

  /** Sets {@code field} to {@code value} when it is missing, not a string, or empty (a default). */
  public static void putIfBlank(ObjectNode o, String field, String value) {
    if (o.path(field).asString("").isEmpty()) {
      o.put(field, value);
    }
  }

  /** The object at {@code parent.field}, created (replacing a non-object) when absent. */
  public static ObjectNode objectAt(ObjectNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }
}
