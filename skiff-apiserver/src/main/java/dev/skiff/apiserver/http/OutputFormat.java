package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The representation a client asked for in its Accept header, as upstream's negotiation: plain
 * JSON or YAML, a {@code meta.k8s.io} Table, or PartialObjectMetadata. Protobuf is not served, so a
 * client that lists it first gets the JSON it lists next.
 */
public enum OutputFormat {
  JSON("application/json"),
  YAML("application/yaml"),
  TABLE("application/json;as=Table;v=v1;g=meta.k8s.io"),
  PARTIAL_METADATA("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");

  private final String contentType;

  OutputFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  public byte[] encode(JsonNode node) {
    return this == YAML ? Json.writeYaml(node) : Json.write(node);
  }

  /**
   * The first acceptable range of {@code accept}.
   *
   * @param transformable whether Table and PartialObjectMetadata can be served (get/list/watch)
   * @throws StatusError 406 when nothing listed can be served
   */
  public static OutputFormat negotiate(String accept, boolean transformable) {
    List<MediaType> ranges = MediaType.parseAccept(accept);
    if (ranges.isEmpty()) {
      return JSON;
    }
    for (MediaType m : ranges) {
      String as = m.param("as");
      if (m.essence().equals("application/yaml") && as.isEmpty()) {
        return YAML;
      }
      if (!m.acceptsJson()) {
        continue;
      }
      if (as.isEmpty()) {
        return JSON;
      }
      boolean meta = m.param("g").equals("meta.k8s.io") && (m.param("v").equals("v1") || m.param("v").equals("v1beta1"));
      if (transformable && meta && as.equals("Table")) {
        return TABLE;
      }
      if (transformable && meta && (as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList"))) {
        return PARTIAL_METADATA;
      }
    }
    throw StatusError.notAcceptable();
  }
}
