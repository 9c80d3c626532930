package dev.skiff.apiserver.protobuf;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads request bodies in Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}):
 * the {@code k8s\0} magic, a {@code runtime.Unknown} envelope naming apiVersion and kind, and the
 * object's message, which becomes the same JSON tree a JSON body would give. kubectl's typed
 * clients send creates this way.
 *
 * <p>Go's protobuf encoder writes non-pointer fields even when empty; empty strings (except in
 * {@code *string} fields) and zero timestamps are dropped here so that the tree matches what the
 * JSON encoder (omitempty) sends.
 * Unknown field numbers are skipped. Thread-safe.
 */
public final class ProtobufDecoder {
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private final ProtoSchema schema;

  public ProtobufDecoder(ProtoSchema schema) {
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  /**
   * Decodes an enveloped object.
   *
   * @throws StatusError 400 when the bytes are not a protobuf object, 415 when the kind is unknown
   */
  public ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0) {
      throw StatusError.badRequest("provided object is not a protobuf message: missing the k8s magic prefix");
    }
    try {
      ObjectNode envelope = message(schema.message("Unknown"), new WireReader(body, MAGIC.length, body.length));
      String apiVersion = envelope.path("typeMeta").path("apiVersion").asString("");
      String kind = envelope.path("typeMeta").path("kind").asString("");
      ProtoMessage type = schema.root(apiVersion, kind).orElseThrow(() -> new StatusError(415,
          "UnsupportedMediaType", "the protobuf encoding of %s %s is not supported; send JSON".formatted(apiVersion, kind), null));
      byte[] raw = Base64.getDecoder().decode(envelope.path("raw").asString(""));
      ObjectNode obj = Json.object().put("kind", kind).put("apiVersion", apiVersion);
      obj.setAll(message(type, new WireReader(raw, 0, raw.length)));
      return obj;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw StatusError.badRequest("malformed protobuf body: " + e.getMessage());
    }
  }

  private ObjectNode message(ProtoMessage type, WireReader in) {
    ObjectNode out = Json.object();
    while (in.hasMore()) {
      long tag = in.varint();
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      ProtoField f = type.fields().get(number);
      if (f == null) {
        in.skip(wire);
        continue;
      }
      JsonNode value = value(f, wire, in);
      if (value == null || (f.omitZero() && (value.isNumber() && value.asLong() == 0
          || value.isBoolean() && !value.asBoolean()))) {
        continue;
      }
      if (f.inline()) {
        if (value instanceof ObjectNode embedded) {
          out.setAll(embedded);
        }
        continue;
      }
      switch (f.type()) {
        case MAP_STRING, MAP_BYTES, MAP_MESSAGE -> {
          ObjectNode map = Json.objectAt(out, f.name());
          map.set(value.path("k").asString(""), value.get("v") == null ? Json.nodes().stringNode("") : value.get("v"));
        }
        default -> {
          if (f.repeated()) {
            JsonNode existing = out.get(f.name());
            ArrayNode list = existing instanceof ArrayNode a ? a : out.putArray(f.name());
            if (value.isArray()) {
              list.addAll((ArrayNode) value);
            } else {
              list.add(value);
            }
          } else if (f.keepEmpty() || !(value.isString() && value.stringValue().isEmpty())) {
            out.set(f.name(), value);
          }
        }
      }
    }
    return out;
  }

  /** The field's value; for map fields an object {"k":..,"v":..}; null to leave the field out. */
  private JsonNode value(ProtoField f, int wire, WireReader in) {
    return switch (f.type()) {
      case STRING -> Json.nodes().stringNode(in.string());
      case BYTES -> Json.nodes().stringNode(Base64.getEncoder().encodeToString(in.bytes()));
      case INT32, INT64, BOOL -> {
        if (wire == 2) {
          // packed repeated scalars
          WireReader packed = in.sub();
          ArrayNode a = Json.nodes().arrayNode();
          while (packed.hasMore()) {
            a.add(scalar(f.type(), packed.varint()));
          }
          yield a;
        }
        yield scalar(f.type(), in.varint());
      }
      case DOUBLE -> Json.nodes().numberNode(Double.longBitsToDouble(in.fixed64()));
      case MESSAGE -> special(schema.message(f.message()), in.sub());
      case MAP_STRING, MAP_BYTES, MAP_MESSAGE -> mapEntry(f, in.sub());
    };
  }

  private static JsonNode scalar(ProtoField.Type type, long v) {
    return switch (type) {
      case INT32 -> Json.nodes().numberNode((int) v);
      case BOOL -> Json.nodes().booleanNode(v != 0);
      default -> Json.nodes().numberNode(v);
    };
  }

  private ObjectNode mapEntry(ProtoField f, WireReader in) {
    ObjectNode e = Json.object();
    while (in.hasMore()) {
      long tag = in.varint();
      int number = (int) (tag >>> 3);
      if (number == 1) {
        e.put("k", in.string());
      } else if (number == 2) {
        switch (f.type()) {
          case MAP_STRING -> e.put("v", in.string());
          case MAP_BYTES -> e.put("v", Base64.getEncoder().encodeToString(in.bytes()));
          default -> e.set("v", special(schema.message(f.message()), in.sub()));
        }
      } else {
        in.skip((int) (tag & 7));
      }
    }
    return e;
  }

  private JsonNode special(ProtoMessage type, WireReader in) {
    return switch (type.special()) {
      case NONE -> message(type, in);
      case TIME -> {
        long seconds = 0;
        int nanos = 0;
        while (in.hasMore()) {
          long tag = in.varint();
          switch ((int) (tag >>> 3)) {
            case 1 -> seconds = in.varint();
            case 2 -> nanos = (int) in.varint();
            default -> in.skip((int) (tag & 7));
          }
        }
        yield seconds == 0 && nanos == 0 ? null
            : Json.nodes().stringNode(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, nanos)));
      }
      case DURATION -> {
        long nanos = 0;
        while (in.hasMore()) {
          long tag = in.varint();
          if ((tag >>> 3) == 1) {
            nanos = in.varint();
          } else {
            in.skip((int) (tag & 7));
          }
        }
        yield Json.nodes().stringNode(GoDuration.format(nanos));
      }
      case INT_OR_STRING -> {
        long kind = 0;
        long intVal = 0;
        String strVal = "";
        while (in.hasMore()) {
          long tag = in.varint();
          switch ((int) (tag >>> 3)) {
            case 1 -> kind = in.varint();
            case 2 -> intVal = (int) in.varint();
            case 3 -> strVal = in.string();
            default -> in.skip((int) (tag & 7));
          }
        }
        yield kind == 1 ? Json.nodes().stringNode(strVal) : Json.nodes().numberNode((int) intVal);
      }
      case QUANTITY -> {
        String s = "";
        while (in.hasMore()) {
          long tag = in.varint();
          if ((tag >>> 3) == 1) {
            s = in.string();
          } else {
            in.skip((int) (tag & 7));
          }
        }
        yield Json.nodes().stringNode(s);
      }
      case STRING_LIST -> {
        ArrayNode items = Json.nodes().arrayNode();
        while (in.hasMore()) {
          long tag = in.varint();
          if ((tag >>> 3) == 1) {
            items.add(in.string());
          } else {
            in.skip((int) (tag & 7));
          }
        }
        yield items;
      }
      case RAW_JSON -> {
        byte[] raw = new byte[0];
        while (in.hasMore()) {
          long tag = in.varint();
          if ((tag >>> 3) == 1) {
            raw = in.bytes();
          } else {
            in.skip((int) (tag & 7));
          }
        }
        try {
          yield raw.length == 0 ? Json.object() : Json.parse(raw);
        } catch (JacksonException e) {
          throw StatusError.badRequest("embedded raw object is not JSON: " + new String(raw, StandardCharsets.UTF_8));
        }
      }
    };
  }
}
