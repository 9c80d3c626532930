package dev.skiff.apiserver.protobuf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes protobuf message type: its fields by number. Messages whose JSON form is not an
 * object (Time, IntOrString, Quantity, raw JSON) are {@link Special}.
 */
public record ProtoMessage(String name, Special special, Map<Integer, ProtoField> fields) {
  /** Messages that become a JSON scalar or embedded JSON rather than an object. */
  public enum Special {
    NONE,
    /** meta/v1 Time and MicroTime: seconds and nanos, written as RFC 3339 */
    TIME,
    /** meta/v1 Duration: nanoseconds, written as a Go duration string */
    DURATION,
    /** util/intstr IntOrString: type, intVal, strVal */
    INT_OR_STRING,
    /** api/resource Quantity: its string */
    QUANTITY,
    /** runtime RawExtension, meta/v1 FieldsV1, apiextensions JSON: raw JSON bytes */
    RAW_JSON,
    /** a Go []string type with its own name (authentication ExtraValue): repeated field 1, a JSON array */
    STRING_LIST
  }

  public ProtoMessage {
    fields = Map.copyOf(fields);
  }

  public static ProtoMessage of(String name, List<ProtoField> fields) {
    Map<Integer, ProtoField> byNumber = new HashMap<>();
    for (ProtoField f : fields) {
      if (byNumber.put(f.number(), f) != null) {
        throw new IllegalArgumentException(name + ": field number " + f.number() + " used twice");
      }
    }
    return new ProtoMessage(name, Special.NONE, byNumber);
  }

  public static ProtoMessage special(String name, Special special) {
    return new ProtoMessage(name, special, Map.of());
  }
}
