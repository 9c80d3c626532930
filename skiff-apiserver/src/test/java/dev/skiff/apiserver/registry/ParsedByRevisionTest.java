package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParsedByRevisionTest {
  private static KeyValue kv(String key, String json, long rev) {
    return new KeyValue(Bytes.of(key), Bytes.wrap(json.getBytes(StandardCharsets.UTF_8)), 1, rev, 1);
  }

  @Test
  void aRevisionIsParsedOnceAndANewRevisionAgain() {
    ParsedByRevision parsed = new ParsedByRevision();
    var first = parsed.tree(kv("/k", "{\"value\":1}", 5));
    assertThat(parsed.tree(kv("/k", "{\"value\":1}", 5))).isSameAs(first);
    var second = parsed.tree(kv("/k", "{\"value\":2}", 6));
    assertThat(second.path("value").asInt()).isEqualTo(2);
    // an older revision read again (a lagging cache) is parsed from its own bytes, not served the newer tree
    assertThat(parsed.tree(kv("/k", "{\"value\":1}", 5)).path("value").asInt()).isEqualTo(1);
    assertThat(parsed.tree(kv("/other", "{\"value\":3}", 5)).path("value").asInt()).isEqualTo(3);
  }
}
