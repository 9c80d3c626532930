package dev.skiff.apiserver.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** The byte splice gives exactly what the tree path (parse, set resourceVersion, drop type meta, write) gives. */
class StoredObjectWriterTest {

  /** What the server wrote before the splice existed: decode, set the fields, encode. */
  private static String viaTree(String stored, long rv) {
    ObjectNode obj = (ObjectNode) Json.parse(stored.getBytes(StandardCharsets.UTF_8));
    obj.put("kind", "Pod").put("apiVersion", "v1");
    Json.objectAt(obj, "metadata").put("resourceVersion", Long.toString(rv));
    return new String(Json.write(obj.without(List.of("kind", "apiVersion"))), StandardCharsets.UTF_8);
  }

  private static String viaSplice(String stored, long rv) {
    JsonBuffer out = new JsonBuffer(8);
    out.writeAscii("[");
    assertThat(StoredObjectWriter.writeListItem(stored.getBytes(StandardCharsets.UTF_8), rv, out)).isTrue();
    String all = new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    assertThat(all).startsWith("[");
    return all.substring(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},\"spec\":{}}",
      "{\"metadata\":{\"name\":\"a\"},\"kind\":\"Pod\"}",
      "{\"apiVersion\":\"v1\",\"metadata\":{},\"data\":{\"k\":\"v\"}}",
      "{\"metadata\":{\"name\":\"q\",\"labels\":{\"x\":\"}{][\\\"\\\\\"}},\"data\":{\"kind\":\"not top\",\"a\":[1,2.5,-3e10,true,false,null,{\"b\":[[]]}]}}",
      "{\"metadata\":{\"annotations\":{\"kind\":\"apiVersion\"}},\"spec\":\"\\u00e9\\n\\\"\",\"n\":0}",
      "{ \"kind\" : \"Pod\" , \"metadata\" : { \"name\" : \"spaced\" } , \"x\" : 1 }",
  })
  void splicedItemEqualsTheTreePath(String stored) {
    boolean compact = !stored.contains(" \"");
    if (compact) {
      // stored bytes are what Json wrote (ObjectCodec.encode): canonical numbers and escapes
      stored = Json.writeString(Json.parse(stored.getBytes(StandardCharsets.UTF_8)));
    }
    String tree = viaTree(stored, 42);
    String spliced = viaSplice(stored, 42);
    // the tree path normalises whitespace; compare as trees there, as bytes for what Json wrote
    if (!compact) {
      assertThat(Json.parse(spliced.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(Json.parse(tree.getBytes(StandardCharsets.UTF_8)));
    } else {
      assertThat(spliced).isEqualTo(tree);
    }
    assertThat(spliced).contains("\"resourceVersion\":\"42\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "{\"spec\":{}}", "{\"metadata\":\"x\"}", "{\"metadata\":{\"a\":", ""})
  void refusesWhatItCannotSplice(String stored) {
    JsonBuffer out = new JsonBuffer(8);
    out.writeAscii("x");
    assertThat(StoredObjectWriter.writeListItem(stored.getBytes(StandardCharsets.UTF_8), 1, out)).isFalse();
    assertThat(out.size()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},\"spec\":{}}",
      "{\"metadata\":{},\"apiVersion\":\"v1\",\"data\":{\"kind\":\"x\"},\"kind\":\"Pod\"}",
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"labels\":{\"x\":\"}{][\\\"\\\\\"}},\"n\":[1,null,{}]}",
  })
  void singleObjectEqualsTheTreePath(String stored) {
    String compact = Json.writeString(Json.parse(stored.getBytes(StandardCharsets.UTF_8)));
    ObjectNode obj = (ObjectNode) Json.parse(compact.getBytes(StandardCharsets.UTF_8));
    obj.put("kind", "Pod").put("apiVersion", "v1");
    Json.objectAt(obj, "metadata").put("resourceVersion", "7");
    JsonBuffer out = new JsonBuffer(8);
    assertThat(StoredObjectWriter.writeObject(compact.getBytes(StandardCharsets.UTF_8), 7, "Pod", "v1", out)).isTrue();
    assertThat(new String(out.array(), 0, out.size(), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.write(obj), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"kind\":\"Pod\",\"metadata\":{}}",
      "{\"kind\":\"Pod\",\"apiVersion\":\"v2\",\"metadata\":{}}",
      "{\"kind\":\"Pods\",\"apiVersion\":\"v1\",\"metadata\":{}}",
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}",
  })
  void singleObjectRefusesOtherTypesAndMissingFields(String stored) {
    JsonBuffer out = new JsonBuffer(8);
    assertThat(StoredObjectWriter.writeObject(stored.getBytes(StandardCharsets.UTF_8), 1, "Pod", "v1", out)).isFalse();
    assertThat(out.size()).isZero();
  }
}
