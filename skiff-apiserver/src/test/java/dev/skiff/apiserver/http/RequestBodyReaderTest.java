package dev.skiff.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RequestBodyReaderTest {
  record Case(String name, List<String> chunks, long declared, int limit, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("one chunk, length declared", List.of("{\"a\":1}"), 7, 100, "{\"a\":1}"),
        new Case("several chunks, length unknown, grows past 1 KiB", List.of("x".repeat(700), "y".repeat(700), "z"),
            -1, 4096, "x".repeat(700) + "y".repeat(700) + "z"),
        new Case("shorter than declared", List.of("abc"), 10, 100, "abc"),
        new Case("longer than declared", List.of("abc", "def"), 3, 100, "abcdef"),
        new Case("empty body", List.of(), 0, 100, ""),
        new Case("exactly the limit", List.of("12345", "67890"), -1, 10, "1234567890"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void readsTheWholeBody(Case c) throws Exception {
    byte[] body = RequestBodyReader.read(source(c.chunks()), c.declared(), c.limit());
    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(c.expected());
  }

  @Test
  void refusesABodyLongerThanTheLimit() {
    assertThatThrownBy(() -> RequestBodyReader.read(source(List.of("12345", "678901")), -1, 10))
        .isInstanceOf(RequestBodyReader.TooLargeException.class);
    // a declared length over the limit is refused before anything is read
    assertThatThrownBy(() -> RequestBodyReader.read(source(List.of("1")), 11, 10))
        .isInstanceOf(RequestBodyReader.TooLargeException.class);
  }

  @Test
  void waitsForChunksThatArriveLater() throws Exception {
    AsyncContent content = new AsyncContent();
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try {
        return RequestBodyReader.read(content, -1, 100);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    // the reader blocks until each chunk is written: AsyncContent's write completes once the chunk is consumed
    content.write(false, ByteBuffer.wrap("late ".getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
    content.write(true, ByteBuffer.wrap("body".getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
    assertThat(new String(read.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("late body");
  }

  @Test
  void reportsAFailedStream() {
    AsyncContent content = new AsyncContent();
    content.fail(new IOException("reset by peer"));
    assertThatThrownBy(() -> RequestBodyReader.read(content, -1, 100)).isInstanceOf(IOException.class)
        .hasMessageContaining("reset by peer");
  }

  private static Content.Source source(List<String> chunks) {
    List<ByteBuffer> buffers = new ArrayList<>();
    for (String c : chunks) {
      buffers.add(ByteBuffer.wrap(c.getBytes(StandardCharsets.UTF_8)));
    }
    return Content.Source.from(buffers.toArray(ByteBuffer[]::new));
  }
}
