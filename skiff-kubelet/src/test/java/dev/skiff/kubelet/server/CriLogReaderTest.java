package dev.skiff.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CriLogReaderTest {

  private static final String LOG = """
      2026-11-26T10:00:00.000000001Z stdout F first
      2026-11-26T10:00:01.5Z stderr F oops
      2026-11-26T10:00:02.000000000Z stdout P par
      2026-11-26T10:00:02.100000000Z stdout F tial
      not a cri line
      2026-11-26T10:00:03.000000000Z stdout F
      2026-11-26T10:00:04.000000000Z stdout F last
      """;

  @TempDir Path dir;

  record Case(String name, Map<String, String> query, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("everything", Map.of(), "first\noops\npartial\n\nlast\n"),
        new Case("tail 2", Map.of("tailLines", "2"), "\nlast\n"),
        new Case("tail 0", Map.of("tailLines", "0"), ""),
        new Case("tail beyond the file", Map.of("tailLines", "100"), "first\noops\npartial\n\nlast\n"),
        new Case("since a time", Map.of("sinceTime", "2026-11-26T10:00:02Z"), "partial\n\nlast\n"),
        new Case("limit cuts mid-line", Map.of("limitBytes", "8"), "first\noo"),
        new Case("timestamps", Map.of("tailLines", "1", "timestamps", "true"),
            "2026-11-26T10:00:04.000000000Z last\n"),
        new Case("timestamps pad nanoseconds", Map.of("limitBytes", "40", "timestamps", "true", "tailLines", "6"),
            "2026-11-26T10:00:01.500000000Z oops\n2026"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void readsWithOptions(Case c) throws Exception {
    Path file = Files.writeString(dir.resolve("0.log"), LOG);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CriLogReader(file, LogOptions.parse(c.query(), Instant.now()), () -> false).copyTo(out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(c.expected());
  }

  @Test
  void followReadsWhatIsAppendedUntilTheContainerEnds() throws Exception {
    Path file = Files.writeString(dir.resolve("1.log"), "2026-11-26T10:00:00Z stdout F one\n");
    AtomicBoolean running = new AtomicBoolean(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> query = new HashMap<>(Map.of("follow", "true"));
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        new CriLogReader(file, LogOptions.parse(query, Instant.now()), running::get).copyTo(out);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(300);
    assertThat(reader.isAlive()).as("follow waits for more").isTrue();
    Files.writeString(file, "2026-11-26T10:00:05Z stdout F two\n", StandardOpenOption.APPEND);
    running.set(false);
    reader.join(5000);
    assertThat(reader.isAlive()).as("ends once the container ended").isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n");
  }

  @Test
  void rejectsMalformedOptions() {
    Instant now = Instant.now();
    assertThatThrownBy(() -> LogOptions.parse(Map.of("tailLines", "-1"), now)).hasMessageContaining("tailLines");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("limitBytes", "0"), now)).hasMessageContaining("limitBytes");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("sinceSeconds", "5", "sinceTime", "2026-01-01T00:00:00Z"), now))
        .hasMessageContaining("at most one");
    assertThat(LogOptions.parse(Map.of("sinceSeconds", "10"), now).since()).contains(now.minusSeconds(10));
  }
}
