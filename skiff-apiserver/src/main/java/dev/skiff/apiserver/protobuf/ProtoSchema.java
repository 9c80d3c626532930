package dev.skiff.apiserver.protobuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes protobuf message types the server can read, loaded from {@code schema.txt} beside
 * this class (Skiff's own compact description of the wire format), and which message each
 * {@code apiVersion/kind} is. Immutable after loading; thread-safe.
 */
public final class ProtoSchema {
  private final Map<String, ProtoMessage> messages;
  private final Map<String, String> roots;

  private ProtoSchema(Map<String, ProtoMessage> messages, Map<String, String> roots) {
    this.messages = Map.copyOf(messages);
    this.roots = Map.copyOf(roots);
  }

  /** The built-in schema. */
  public static ProtoSchema builtIn() {
    try (InputStream in = ProtoSchema.class.getResourceAsStream("schema.txt")) {
      if (in == null) {
        throw new IllegalStateException("schema.txt missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ProtoSchema parse(String text) {
    Map<String, ProtoMessage> messages = new HashMap<>();
    Map<String, String> roots = new HashMap<>();
    String current = null;
    List<ProtoField> fields = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] t = line.split("\\s+");
      switch (t[0]) {
        case "message" -> {
          if (current != null) {
            messages.put(current, ProtoMessage.of(current, fields));
          }
          if (messages.containsKey(t[1])) {
            throw new IllegalArgumentException("schema line " + (i + 1) + ": message " + t[1] + " defined twice");
          }
          current = t[1];
          fields = new ArrayList<>();
        }
        case "special" -> messages.put(t[1], ProtoMessage.special(t[1], ProtoMessage.Special.valueOf(t[2])));
        case "root" -> roots.put(t[1], t[2]);
        default -> {
          if (current == null || t.length != 3) {
            throw new IllegalArgumentException("schema line " + (i + 1) + " is not a field: " + line);
          }
          fields.add(field(Integer.parseInt(t[0]), t[1], t[2]));
        }
      }
    }
    if (current != null) {
      messages.put(current, ProtoMessage.of(current, fields));
    }
    ProtoSchema schema = new ProtoSchema(messages, roots);
    schema.checkReferences();
    return schema;
  }

  private static ProtoField field(int number, String name, String declared) {
    boolean omitZero = declared.endsWith("?");
    boolean keepEmpty = declared.equals("string!");
    String type = omitZero || keepEmpty ? declared.substring(0, declared.length() - 1) : declared;
    boolean repeated = type.startsWith("[]");
    String base = repeated ? type.substring(2) : type;
    if (base.startsWith("map<") && base.endsWith(">")) {
      String value = base.substring(4, base.length() - 1);
      return switch (value) {
        case "string" -> new ProtoField(number, name, ProtoField.Type.MAP_STRING, null, false, omitZero, false);
        case "bytes" -> new ProtoField(number, name, ProtoField.Type.MAP_BYTES, null, false, omitZero, false);
        default -> new ProtoField(number, name, ProtoField.Type.MAP_MESSAGE, value, false, omitZero, false);
      };
    }
    return switch (base) {
      case "string" -> new ProtoField(number, name, ProtoField.Type.STRING, null, repeated, omitZero, keepEmpty);
      case "bytes" -> new ProtoField(number, name, ProtoField.Type.BYTES, null, repeated, omitZero, false);
      case "int32" -> new ProtoField(number, name, ProtoField.Type.INT32, null, repeated, omitZero, false);
      case "int64" -> new ProtoField(number, name, ProtoField.Type.INT64, null, repeated, omitZero, false);
      case "bool" -> new ProtoField(number, name, ProtoField.Type.BOOL, null, repeated, omitZero, false);
      case "double" -> new ProtoField(number, name, ProtoField.Type.DOUBLE, null, repeated, omitZero, false);
      default -> new ProtoField(number, name, ProtoField.Type.MESSAGE, base, repeated, omitZero, false);
    };
  }

  private void checkReferences() {
    for (ProtoMessage m : messages.values()) {
      for (ProtoField f : m.fields().values()) {
        if (f.message() != null && !messages.containsKey(f.message())) {
          throw new IllegalArgumentException(m.name() + "." + f.name() + " refers to unknown message " + f.message());
        }
        if (f.inline() && (f.type() != ProtoField.Type.MESSAGE || f.repeated())) {
          throw new IllegalArgumentException(m.name() + " field " + f.number() + ": only a single message can be inline");
        }
      }
    }
    roots.values().forEach(this::message);
  }

  public ProtoMessage message(String name) {
    ProtoMessage m = messages.get(name);
    if (m == null) {
      throw new IllegalArgumentException("unknown message " + name);
    }
    return m;
  }

  /** Every {@code apiVersion/kind} with a root message, mapped to that message's name. */
  public Map<String, String> roots() {
    return roots;
  }

  /** The message of objects of {@code apiVersion} and {@code kind}, if known. */
  public Optional<ProtoMessage> root(String apiVersion, String kind) {
    return Optional.ofNullable(roots.get(apiVersion + "/" + kind)).map(this::message);
  }
}
