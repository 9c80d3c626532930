package dev.skiff.apiserver.discovery;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One protobuf message read with protobuf-java's {@link CodedInputStream} and no schema: its fields
 * by number, length-delimited ones as bytes, varints as longs. Enough to walk gnostic's
 * openapi.v2.Document in tests without generated classes.
 */
public record ProtoFields(Map<Integer, List<Object>> fields) {
  public static ProtoFields parse(byte[] bytes) {
    Map<Integer, List<Object>> out = new LinkedHashMap<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        Object value = switch (WireFormat.getTagWireType(tag)) {
          case WireFormat.WIRETYPE_VARINT -> in.readInt64();
          case WireFormat.WIRETYPE_FIXED64 -> in.readDouble();
          case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readByteArray();
          case WireFormat.WIRETYPE_FIXED32 -> in.readFloat();
          default -> throw new IllegalArgumentException("unexpected wire type in tag " + tag);
        };
        out.computeIfAbsent(WireFormat.getTagFieldNumber(tag), k -> new ArrayList<>()).add(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ProtoFields(out);
  }

  public List<Object> all(int field) {
    return fields.getOrDefault(field, List.of());
  }

  public String string(int field) {
    List<Object> v = all(field);
    return v.isEmpty() ? "" : new String((byte[]) v.getLast(), StandardCharsets.UTF_8);
  }

  public List<String> strings(int field) {
    return all(field).stream().map(b -> new String((byte[]) b, StandardCharsets.UTF_8)).toList();
  }

  public ProtoFields message(int field) {
    List<Object> v = all(field);
    return parse(v.isEmpty() ? new byte[0] : (byte[]) v.getLast());
  }

  public List<ProtoFields> messages(int field) {
    return all(field).stream().map(b -> parse((byte[]) b)).toList();
  }

  /** gnostic's repeated Named* pairs (name 1, value 2) in {@code field}, by name. */
  public Map<String, ProtoFields> named(int field) {
    Map<String, ProtoFields> out = new LinkedHashMap<>();
    for (ProtoFields pair : messages(field)) {
      out.put(pair.string(1), pair.message(2));
    }
    return out;
  }
}
