package dev.skiff.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: a child JVM writes in a loop and reports each acknowledged write;
 * the test kills it with SIGKILL mid-loop, reopens the file and finds every acknowledged write.
 */
class KillDurabilityTest {
  private static final int ACKS_BEFORE_KILL = 600;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    Path file = dir.resolve("skiff.db");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    DurabilityChild.class.getName(),
                    file.toString(),
                    "8",
                    "100000"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Map<String, Long> acked = new LinkedHashMap<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
        String[] parts = line.split(" ");
        if (parts[0].equals("ack")) {
          acked.put(parts[1], Long.parseLong(parts[2]));
          if (acked.size() >= ACKS_BEFORE_KILL) {
            break;
          }
        }
      }
      // SIGKILL mid-loop: no shutdown hook, no close; acks still in the pipe are not counted
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

    try (SqliteStore store = SqliteStore.open(file)) {
      for (Map.Entry<String, Long> ack : acked.entrySet()) {
        KeyValue kv = store.get(Bytes.of(ack.getKey())).orElse(null);
        assertThat(kv).as("acknowledged key %s", ack.getKey()).isNotNull();
        assertThat(kv.modRevision()).isEqualTo(ack.getValue());
        assertThat(kv.value()).isEqualTo(Bytes.of("value-" + ack.getKey()));
      }
      long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(store.currentRevision()).isGreaterThanOrEqualTo(maxAcked);
    }
  }
}
