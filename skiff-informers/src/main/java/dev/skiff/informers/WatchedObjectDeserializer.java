package dev.skiff.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Decodes the object of a watch event in one pass. fabric8's {@link KubernetesDeserializer} reads
 * every object into a tree first (to learn its kind) and then converts the tree into the typed
 * model, so each event is decoded twice; in Skiff's one-process cluster that doubled decode was
 * most of the in-process clients' CPU. The API server writes {@code kind} and {@code apiVersion}
 * first, as upstream does: this reads those two fields, looks the model class up in fabric8's
 * registry, and lets the class's own deserializer read the rest of the stream. Anything else (the
 * fields in another order, a kind fabric8 does not know, a non-object) goes to fabric8's
 * deserializer unchanged, through a buffer of what was already read.
 */
public final class WatchedObjectDeserializer extends ValueDeserializer<Object> {
  private static final String API_VERSION = "apiVersion";
  private static final String KIND = "kind";

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) {
    ValueDeserializer<Object> fabric8 = ctxt.findRootValueDeserializer(ctxt.constructType(KubernetesResource.class));
    if (!p.isExpectedStartObjectToken() || !((Object) fabric8 instanceof KubernetesDeserializer registry)) {
      return fabric8.deserialize(p, ctxt);
    }
    String apiVersion = null;
    String kind = null;
    JsonToken t = p.nextToken();
    while (t == JsonToken.PROPERTY_NAME && (apiVersion == null || kind == null)) {
      String name = p.currentName();
      boolean isApiVersion = API_VERSION.equals(name) && apiVersion == null;
      boolean isKind = KIND.equals(name) && kind == null;
      if (!isApiVersion && !isKind) {
        break;
      }
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        return viaFabric8(p, ctxt, fabric8, apiVersion, kind, name);
      }
      if (isApiVersion) {
        apiVersion = p.getString();
      } else {
        kind = p.getString();
      }
      t = p.nextToken();
    }
    Class<? extends KubernetesResource> type =
        apiVersion == null || kind == null ? null : registry.getRegisteredKind(apiVersion, kind);
    if (type == null || type == GenericKubernetesResource.class || type.isInterface()) {
      return viaFabric8(p, ctxt, fabric8, apiVersion, kind, null);
    }
    // the parser stands on the next field (or the end): the model's bean deserializer reads on from there
    return ctxt.findRootValueDeserializer(ctxt.constructType(type)).deserialize(p, ctxt);
  }

  /**
   * Hands the object to fabric8's deserializer: the fields read so far are replayed from a buffer
   * followed by the rest of the object. {@code pendingName} is a field whose value the parser
   * stands on.
   */
  private static Object viaFabric8(JsonParser p, DeserializationContext ctxt, ValueDeserializer<Object> fabric8,
      String apiVersion, String kind, String pendingName) {
    TokenBuffer buffer = ctxt.bufferForInputBuffering(p);
    buffer.writeStartObject();
    if (apiVersion != null) {
      buffer.writeName(API_VERSION);
      buffer.writeString(apiVersion);
    }
    if (kind != null) {
      buffer.writeName(KIND);
      buffer.writeString(kind);
    }
    if (pendingName != null) {
      buffer.writeName(pendingName);
      buffer.copyCurrentStructure(p);
      p.nextToken();
    }
    while (p.currentToken() == JsonToken.PROPERTY_NAME) {
      buffer.copyCurrentStructure(p);
      p.nextToken();
    }
    buffer.writeEndObject();
    return fabric8.deserialize(buffer.asParserOnFirstToken(ctxt, p), ctxt);
  }
}
