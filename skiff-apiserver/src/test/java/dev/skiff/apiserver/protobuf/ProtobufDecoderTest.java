package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import org.junit.jupiter.api.Test;

class ProtobufDecoderTest {
  private final ProtobufDecoder decoder = new ProtobufDecoder(ProtoSchema.builtIn());

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    byte[] typeMeta = new SchemaEncoder.Out().string(1, apiVersion).string(2, kind).done();
    byte[] unknown = new SchemaEncoder.Out().bytes(1, typeMeta).bytes(2, raw).done();
    byte[] out = new byte[unknown.length + 4];
    System.arraycopy(new byte[] {'k', '8', 's', 0}, 0, out, 0, 4);
    System.arraycopy(unknown, 0, out, 4, unknown.length);
    return out;
  }

  @Test
  void decodesAConfigMapAsKubectlSendsIt() {
    byte[] meta = new SchemaEncoder.Out().string(1, "settings").string(2, "").string(3, "team-a")
        .bytes(8, new byte[0]) // zero creationTimestamp, as Go writes it
        .bytes(11, new SchemaEncoder.Out().string(1, "app").string(2, "web").done())
        .number(99, 7) // an unknown field is skipped
        .done();
    byte[] cm = new SchemaEncoder.Out().bytes(1, meta).bytes(2, new SchemaEncoder.Out().string(1, "color").string(2, "blue").done())
        .bytes(3, new SchemaEncoder.Out().string(1, "bin").bytes(2, new byte[] {1, 2}).done()).number(4, 1).done();
    var obj = decoder.decode(envelope("v1", "ConfigMap", cm));
    assertThat(Json.writeString(obj)).isEqualTo("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
        + "\"settings\",\"namespace\":\"team-a\",\"labels\":{\"app\":\"web\"}},\"data\":{\"color\":\"blue\"},"
        + "\"binaryData\":{\"bin\":\"AQI=\"},\"immutable\":true}");
  }

  @Test
  void skipsAnUnknownLengthDelimitedFieldAndReadsTheFieldsAfterIt() {
    // a field number the schema does not know (as a newer client might send), before the metadata
    byte[] status = new SchemaEncoder.Out().bytes(1, new SchemaEncoder.Out().string(1, "").string(2, "").done()).done();
    byte[] review = new SchemaEncoder.Out().bytes(9, status).bytes(1, new SchemaEncoder.Out().string(1, "me").done()).done();
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
