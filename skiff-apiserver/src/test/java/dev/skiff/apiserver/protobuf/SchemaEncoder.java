package dev.skiff.apiserver.protobuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test-only: writes a JSON object in Kubernetes' protobuf encoding, driven by the same schema the
 * decoder reads, the way Go's encoder does (non-packed repeated scalars, map entries as key 1 and
 * value 2, the {@code k8s\0} magic and a runtime.Unknown envelope). Lets tests check that
 * decode(encode(json)) gives the JSON back.
 */
final class SchemaEncoder {
  private final ProtoSchema schema;

  SchemaEncoder(ProtoSchema schema) {
    this.schema = schema;
  }

  /** The enveloped protobuf body kubectl would send for {@code obj}. */
  byte[] encode(ObjectNode obj) {
    String apiVersion = obj.path("apiVersion").asString();
    String kind = obj.path("kind").asString();
    ProtoMessage type = schema.root(apiVersion, kind).orElseThrow();
    byte[] raw = message(type, obj);
    Out typeMeta = new Out().string(1, apiVersion).string(2, kind);
    Out unknown = new Out().bytes(1, typeMeta.done()).bytes(2, raw);
    Out out = new Out();
    out.buf.writeBytes(new byte[] {'k', '8', 's', 0});
    out.buf.writeBytes(unknown.done());
    return out.done();
  }

  private byte[] message(ProtoMessage type, JsonNode obj) {
    Out out = new Out();
    switch (type.special()) {
      case TIME -> {
        Instant t = Instant.parse(obj.asString());
        return out.number(1, t.getEpochSecond()).number(2, t.getNano()).done();
      }
      case QUANTITY -> {
        return out.string(1, obj.asString()).done();
      }
      case INT_OR_STRING -> {
        return obj.isNumber() ? out.number(1, 0).number(2, obj.asInt()).done()
            : out.number(1, 1).string(3, obj.asString()).done();
      }
      case RAW_JSON -> {
        return out.bytes(1, obj.toString().getBytes(StandardCharsets.UTF_8)).done();
      }
      case STRING_LIST -> {
        obj.forEach(item -> out.string(1, item.asString()));
        return out.done();
      }
      case DURATION -> throw new UnsupportedOperationException("durations are not encoded by this test helper");
      case NONE -> {
        // below
      }
    }
    for (ProtoField f : type.fields().values().stream().sorted((a, b) -> a.number() - b.number()).toList()) {
      if (f.inline()) {
        out.bytes(f.number(), message(schema.message(f.message()), obj));
        continue;
      }
      JsonNode v = obj.get(f.name());
      if (v == null || v.isNull()) {
        continue;
      }
      switch (f.type()) {
        case MAP_STRING, MAP_BYTES, MAP_MESSAGE -> {
          for (Map.Entry<String, JsonNode> e : v.properties()) {
            Out entry = new Out().string(1, e.getKey());
            switch (f.type()) {
              case MAP_STRING -> entry.string(2, e.getValue().asString());
              case MAP_BYTES -> entry.bytes(2, Base64.getDecoder().decode(e.getValue().asString()));
              default -> entry.bytes(2, message(schema.message(f.message()), e.getValue()));
            }
            out.bytes(f.number(), entry.done());
          }
        }
        default -> {
          if (f.repeated()) {
            for (JsonNode item : v) {
              scalarOrMessage(out, f, item);
            }
          } else {
            scalarOrMessage(out, f, v);
          }
        }
      }
    }
    return out.done();
  }

  private void scalarOrMessage(Out out, ProtoField f, JsonNode v) {
    switch (f.type()) {
      case STRING -> out.string(f.number(), v.asString());
      case BYTES -> out.bytes(f.number(), Base64.getDecoder().decode(v.asString()));
      case INT32, INT64 -> out.number(f.number(), v.asLong());
      case BOOL -> out.number(f.number(), v.asBoolean() ? 1 : 0);
      case DOUBLE -> {
        out.varint((long) f.number() << 3 | 1);
        long bits = Double.doubleToLongBits(v.asDouble());
        for (int i = 0; i < 8; i++) {
          out.buf.write((int) (bits >>> (8 * i)) & 0xff);
        }
      }
      case MESSAGE -> out.bytes(f.number(), message(schema.message(f.message()), v));
      default -> throw new IllegalStateException(f.toString());
    }
  }

  /** A protobuf wire writer. */
  static final class Out {
    final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Out varint(long v) {
      while ((v & ~0x7fL) != 0) {
        buf.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      buf.write((int) v);
      return this;
    }

    Out bytes(int field, byte[] b) {
      varint((long) field << 3 | 2).varint(b.length);
      buf.writeBytes(b);
      return this;
    }

    Out string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Out number(int field, long v) {
      return varint((long) field << 3).varint(v);
    }

    byte[] done() {
      return buf.toByteArray();
    }
  }
}
