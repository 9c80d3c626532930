package dev.skiff.apiserver.discovery;

import com.google.protobuf.CodedOutputStream;
import dev.skiff.apiserver.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes an OpenAPI v2 (Swagger 2.0) JSON document as gnostic's {@code openapi.v2.Document}
 * protobuf message, the body upstream serves for {@code Accept:
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf} and client-go's
 * {@code DiscoveryClient.OpenAPISchema()} decodes.
 *
 * <p>Covers what Kubernetes documents use: info, paths with get/put/post/delete/patch operations
 * (query, path and body parameters, responses with schemas), definitions (every Schema field), and
 * vendor extensions. gnostic carries an extension's value, like {@code default}, {@code enum} and
 * {@code example}, as YAML text in {@code Any.yaml}; JSON text is valid YAML, so the value is
 * written as JSON. Field numbers are gnostic's {@code openapiv2/OpenAPIv2.proto}. Stateless.
 */
final class OpenApiV2Protobuf {
  private OpenApiV2Protobuf() {}

  /** One message under construction; nested messages are encoded first and written as bytes. */
  private static final class Message {
    /** One write to the stream; the stream writes to memory, so an IOException is a bug. */
    private interface Write {
      void to(CodedOutputStream out) throws IOException;
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    private Message write(Write w) {
      try {
        w.to(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Message string(int field, JsonNode v) {
      return v != null && v.isString() && !v.stringValue().isEmpty() ? string(field, v.stringValue()) : this;
    }

    Message string(int field, String v) {
      return write(o -> o.writeString(field, v));
    }

    Message strings(int field, JsonNode array) {
      if (array != null && array.isArray()) {
        array.forEach(v -> string(field, v.asString("")));
      }
      return this;
    }

    Message bool(int field, JsonNode v) {
      return v != null && v.asBoolean(false) ? oneofBool(field, true) : this;
    }

    /** A bool in a oneof: written even when false, since a oneof records which member is set. */
    Message oneofBool(int field, boolean v) {
      return write(o -> o.writeBool(field, v));
    }

    Message number(int field, JsonNode v) {
      return v != null && v.isNumber() ? write(o -> o.writeDouble(field, v.asDouble())) : this;
    }

    Message integer(int field, JsonNode v) {
      return v != null && v.isNumber() ? write(o -> o.writeInt64(field, v.asLong())) : this;
    }

    Message message(int field, Message m) {
      byte[] b = m.toByteArray();
      return write(o -> o.writeByteArray(field, b));
    }

    byte[] toByteArray() {
      write(CodedOutputStream::flush);
      return bytes.toByteArray();
    }
  }

  /** The gnostic Document of a Swagger 2.0 JSON document. */
  static byte[] encode(JsonNode doc) {
    Message m = new Message().string(1, doc.path("swagger").asString("2.0"));
    JsonNode info = doc.path("info");
    m.message(2, new Message().string(1, info.get("title")).string(2, info.get("version"))
        .string(3, info.get("description")));
    Message paths = new Message();
    for (Map.Entry<String, JsonNode> p : doc.path("paths").properties()) {
      paths.message(2, new Message().string(1, p.getKey()).message(2, pathItem(p.getValue())));
    }
    m.message(8, paths);
    Message definitions = new Message();
    for (Map.Entry<String, JsonNode> d : doc.path("definitions").properties()) {
      definitions.message(1, new Message().string(1, d.getKey()).message(2, schema(d.getValue())));
    }
    m.message(9, definitions);
    extensions(m, 16, doc);
    return m.toByteArray();
  }

  private static Message pathItem(JsonNode item) {
    Message m = new Message().string(1, item.get("$ref"));
    String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
    for (int i = 0; i < methods.length; i++) {
      if (item.get(methods[i]) instanceof ObjectNode op) {
        m.message(i + 2, operation(op));
      }
    }
    item.path("parameters").forEach(p -> m.message(9, parameter(p)));
    extensions(m, 10, item);
    return m;
  }

  private static Message operation(JsonNode op) {
    Message m = new Message().strings(1, op.get("tags")).string(2, op.get("summary"))
        .string(3, op.get("description")).string(5, op.get("operationId")).strings(6, op.get("produces"))
        .strings(7, op.get("consumes"));
    op.path("parameters").forEach(p -> m.message(8, parameter(p)));
    Message responses = new Message();
    for (Map.Entry<String, JsonNode> r : op.path("responses").properties()) {
      Message response = new Message().string(1, r.getValue().get("description"));
      if (r.getValue().get("schema") instanceof ObjectNode s) {
        response.message(2, new Message().message(1, schema(s)));
      }
      responses.message(1, new Message().string(1, r.getKey()).message(2, new Message().message(1, response)));
    }
    m.message(9, responses);
    m.strings(10, op.get("schemes")).bool(11, op.get("deprecated"));
    extensions(m, 13, op);
    return m;
  }

  /** A ParametersItem: a body parameter, or a query or path parameter (the sub-schemas Kubernetes uses). */
  private static Message parameter(JsonNode p) {
    if (p.has("$ref")) {
      return new Message().message(2, new Message().string(1, p.get("$ref")));
    }
    String in = p.path("in").asString("");
    Message parameter;
    if (in.equals("body")) {
      Message body = new Message().string(1, p.get("description")).string(2, p.get("name")).string(3, "body")
          .bool(4, p.get("required"));
      if (p.get("schema") instanceof ObjectNode s) {
        body.message(5, schema(s));
      }
      extensions(body, 6, p);
      parameter = new Message().message(1, body);
    } else {
      boolean query = !in.equals("path");
      // QueryParameterSubSchema has allowEmptyValue at 5, shifting the later fields by one
      int shift = query ? 1 : 0;
      Message sub = new Message().bool(1, p.get("required")).string(2, in).string(3, p.get("description"))
          .string(4, p.get("name")).string(5 + shift, p.get("type")).string(6 + shift, p.get("format"))
          .bool(19 + shift, p.get("uniqueItems"));
      extensions(sub, 22 + shift, p);
      parameter = new Message().message(2, new Message().message(query ? 3 : 4, sub));
    }
    return new Message().message(1, parameter);
  }

  private static Message schema(JsonNode s) {
    Message m = new Message().string(1, s.get("$ref")).string(2, s.get("format")).string(3, s.get("title"))
        .string(4, s.get("description"));
    if (s.has("default")) {
      m.message(5, any(s.get("default")));
    }
    m.number(6, s.get("multipleOf")).number(7, s.get("maximum")).bool(8, s.get("exclusiveMaximum"))
        .number(9, s.get("minimum")).bool(10, s.get("exclusiveMinimum")).integer(11, s.get("maxLength"))
        .integer(12, s.get("minLength")).string(13, s.get("pattern")).integer(14, s.get("maxItems"))
        .integer(15, s.get("minItems")).bool(16, s.get("uniqueItems")).integer(17, s.get("maxProperties"))
        .integer(18, s.get("minProperties")).strings(19, s.get("required"));
    s.path("enum").forEach(v -> m.message(20, any(v)));
    JsonNode extra = s.get("additionalProperties");
    if (extra != null && extra.isObject()) {
      m.message(21, new Message().message(1, schema(extra)));
    } else if (extra != null && extra.isBoolean()) {
      m.message(21, new Message().oneofBool(2, extra.booleanValue()));
    }
    JsonNode type = s.get("type");
    if (type != null && type.isString()) {
      m.message(22, new Message().string(1, type));
    } else if (type != null && type.isArray()) {
      m.message(22, new Message().strings(1, type));
    }
    JsonNode items = s.get("items");
    if (items != null && items.isObject()) {
      m.message(23, new Message().message(1, schema(items)));
    } else if (items != null && items.isArray()) {
      Message all = new Message();
      items.forEach(i -> all.message(1, schema(i)));
      m.message(23, all);
    }
    s.path("allOf").forEach(a -> m.message(24, schema(a)));
    if (s.get("properties") instanceof ObjectNode props) {
      Message properties = new Message();
      for (Map.Entry<String, JsonNode> p : props.properties()) {
        properties.message(1, new Message().string(1, p.getKey()).message(2, schema(p.getValue())));
      }
      m.message(25, properties);
    }
    m.string(26, s.get("discriminator")).bool(27, s.get("readOnly"));
    if (s.has("example")) {
      m.message(30, any(s.get("example")));
    }
    extensions(m, 31, s);
    return m;
  }

  /** The object's {@code x-} fields as NamedAny messages in {@code field}. */
  private static void extensions(Message m, int field, JsonNode o) {
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (e.getKey().startsWith("x-")) {
        m.message(field, new Message().string(1, e.getKey()).message(2, any(e.getValue())));
      }
    }
  }

  /** gnostic's Any: the value as YAML text (here JSON, a subset of YAML) in field 2. */
  private static Message any(JsonNode v) {
    return new Message().string(2, Json.writeString(v) + "\n");
  }
}
