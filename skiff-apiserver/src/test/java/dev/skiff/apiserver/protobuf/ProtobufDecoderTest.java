package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufDecoderTest {
  private final ProtobufDecoder decoder = new ProtobufDecoder(ProtoSchema.builtIn());

  /** A tiny protobuf writer for building test inputs. */
  static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer varint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Writer bytes(int field, byte[] b) {
      varint((long) field << 3 | 2).varint(b.length);
      out.writeBytes(b);
      return this;
    }

    Writer string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Writer number(int field, long v) {
      return varint((long) field << 3).varint(v);
    }

    byte[] done() {
      return out.toByteArray();
    }
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    byte[] typeMeta = new Writer().string(1, apiVersion).string(2, kind).done();
    byte[] unknown = new Writer().bytes(1, typeMeta).bytes(2, raw).done();
    byte[] out = new byte[unknown.length + 4];
    System.arraycopy(new byte[] {'k', '8', 's', 0}, 0, out, 0, 4);
    System.arraycopy(unknown, 0, out, 4, unknown.length);
    return out;
  }

  @Test
  void decodesAConfigMapAsKubectlSendsIt() {
    byte[] meta = new Writer().string(1, "settings").string(2, "").string(3, "team-a")
        .bytes(8, new byte[0]) // zero creationTimestamp, as Go writes it
        .bytes(11, new Writer().string(1, "app").string(2, "web").done())
        .number(99, 7) // an unknown field is skipped
        .done();
    byte[] cm = new Writer().bytes(1, meta).bytes(2, new Writer().string(1, "color").string(2, "blue").done())
        .bytes(3, new Writer().string(1, "bin").bytes(2, new byte[] {1, 2}).done()).number(4, 1).done();
    var obj = decoder.decode(envelope("v1", "ConfigMap", cm));
    assertThat(Json.writeString(obj)).isEqualTo("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
        + "\"settings\",\"namespace\":\"team-a\",\"labels\":{\"app\":\"web\"}},\"data\":{\"color\":\"blue\"},"
        + "\"binaryData\":{\"bin\":\"AQI=\"},\"immutable\":true}");
  }

  @Test
  void skipsAnUnknownLengthDelimitedFieldAndReadsTheFieldsAfterIt() {
    // kubectl auth whoami sends a SelfSubjectReview whose empty status (field 2) the server does not read
    byte[] status = new Writer().bytes(1, new Writer().string(1, "").string(2, "").done()).done();
    byte[] review = new Writer().bytes(2, status).bytes(1, new Writer().string(1, "me").done()).done();
    var obj = decoder.decode(envelope("authentication.k8s.io/v1", "SelfSubjectReview", review));
    assertThat(Json.writeString(obj)).isEqualTo("{\"kind\":\"SelfSubjectReview\",\"apiVersion\":"
        + "\"authentication.k8s.io/v1\",\"metadata\":{\"name\":\"me\"}}");
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThatThrownBy(() -> decoder.decode("{}".getBytes())).isInstanceOf(StatusError.class)
        .satisfies(e -> assertThat(((StatusError) e).code()).isEqualTo(400));
    assertThatThrownBy(() -> decoder.decode(envelope("v1", "Nope", new byte[0]))).isInstanceOf(StatusError.class)
        .satisfies(e -> assertThat(((StatusError) e).code()).isEqualTo(415));
    byte[] truncated = envelope("v1", "ConfigMap", new byte[] {0x0a, 0x7f});
    assertThatThrownBy(() -> decoder.decode(truncated)).isInstanceOf(StatusError.class);
  }
}
