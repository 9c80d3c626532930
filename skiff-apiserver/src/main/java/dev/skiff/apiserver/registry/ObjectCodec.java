package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.conversion.VersionConversion;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.json.JsonBuffer;
import dev.skiff.apiserver.json.StoredObjectWriter;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one resource's objects are stored: keys under the resource's prefix, values as JSON without
 * {@code metadata.resourceVersion}, which is always the key's mod revision (as upstream's etcd3
 * storage does). A resource served by conversion ({@link VersionConversion}) is stored at its storage
 * version and converted on every encode and decode.
 */
public record ObjectCodec(ResourceDefinition definition, VersionConversion conversion) {

  public ObjectCodec {
    java.util.Objects.requireNonNull(definition, "definition");
    java.util.Objects.requireNonNull(conversion, "conversion");
  }

  /** The codec of a resource stored at its own version. */
  public ObjectCodec(ResourceDefinition definition) {
    this(definition, VersionConversion.NONE);
  }

  private boolean converts() {
    return conversion != VersionConversion.NONE;
  }

  public Bytes key(String namespace, String name) {
    return Bytes.of(definition.storagePrefix() + (definition.namespaced() ? namespace + "/" : "") + name);
  }

  /** The prefix of every object in {@code namespace}, or of all objects when it is "". */
  public Bytes prefix(String namespace) {
    return Bytes.of(definition.storagePrefix()
        + (definition.namespaced() && !namespace.isEmpty() ? namespace + "/" : ""));
  }

  public Bytes encode(ObjectNode obj) {
    if (converts()) {
      ObjectNode copy = obj.deepCopy();
      ObjectMeta.of(copy).remove("resourceVersion");
      return Bytes.wrap(Json.write(conversion.toStorage(copy)));
    }
    if (!obj.path("metadata").has("resourceVersion")) {
      return Bytes.wrap(Json.write(obj));
    }
    ObjectNode copy = obj.deepCopy();
    ObjectMeta.of(copy).remove("resourceVersion");
    return Bytes.wrap(Json.write(copy));
  }

  /**
   * {@code written}, just stored as {@code kv}, as a read would return it: what {@link #decode(KeyValue)}
   * of {@code kv} gives, without parsing the bytes again. {@code written} becomes the result.
   */
  public ObjectNode withRevision(ObjectNode written, KeyValue kv) {
    if (converts()) {
      // what a read returns: the stored form converted back (round-trip annotations and all)
      ObjectNode stored = conversion.toStorage(written.deepCopy());
      written.removeAll();
      written.setAll(conversion.fromStorage(stored));
    }
    written.put("kind", definition.kind()).put("apiVersion", definition.apiVersion());
    ObjectMeta.of(written).put("resourceVersion", Long.toString(kv.modRevision()));
    return written;
  }

  /**
   * Appends {@code kv}'s object as an item of a JSON list (no kind or apiVersion, resourceVersion
   * set) to {@code out}, straight from the stored bytes: the same bytes as encoding
   * {@link #decode(KeyValue)} without kind and apiVersion.
   */
  public void writeListItem(KeyValue kv, JsonBuffer out) {
    if (converts() || !StoredObjectWriter.writeListItem(kv.value().unsafeArray(), kv.modRevision(), out)) {
      out.write(Json.write(decode(kv).without(java.util.List.of("kind", "apiVersion"))));
    }
  }

  /**
   * Appends {@code kv}'s object as a get returns it in JSON to {@code out}, straight from the stored
   * bytes: the same bytes as encoding {@link #decode(KeyValue)}.
   */
  public void writeObject(KeyValue kv, JsonBuffer out) {
    if (converts() || !StoredObjectWriter.writeObject(kv.value().unsafeArray(), kv.modRevision(), definition.kind(),
        definition.apiVersion(), out)) {
      out.write(Json.write(decode(kv)));
    }
  }

  /** The object stored in {@code kv}, its resourceVersion set from the mod revision. */
  public ObjectNode decode(KeyValue kv) {
    return decode(kv.value(), kv.modRevision());
  }

  public ObjectNode decode(Bytes value, long revision) {
    JsonNode n;
    try {
      n = Json.parse(value.unsafeArray());
    } catch (JacksonException e) {
      throw StatusError.internal("stored object is not valid JSON: " + e.getOriginalMessage());
    }
    if (!(n instanceof ObjectNode obj)) {
      throw StatusError.internal("stored object is not a JSON object");
    }
    if (converts()) {
      obj = conversion.fromStorage(obj);
    }
    obj.put("kind", definition.kind()).put("apiVersion", definition.apiVersion());
    ObjectMeta.of(obj).put("resourceVersion", Long.toString(revision));
    return obj;
  }
}
