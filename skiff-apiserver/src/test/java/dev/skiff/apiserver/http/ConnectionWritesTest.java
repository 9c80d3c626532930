package dev.skiff.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionWrites} against a model of Jetty's HTTP/2 flusher: writes queued while it
 * flushes (from a completion callback) leave together in its next socket write, and a stream whose
 * window is closed keeps its write pending without completing it.
 */
class ConnectionWritesTest {

  /** One connection's flusher: counts socket writes and what each stream received, in order. */
  private static final class Flusher {
    private record Entry(String stream, ByteBuffer bytes, Callback done) {}

    final Queue<Entry> queue = new ArrayDeque<>();
    final Set<String> stalled = new HashSet<>();
    final List<Entry> pending = new ArrayList<>();
    final java.util.Map<String, ByteArrayOutputStream> received = new java.util.HashMap<>();
    int socketWrites;
    private boolean flushing;

    Content.Sink stream(String name) {
      received.put(name, new ByteArrayOutputStream());
      return (last, bytes, done) -> {
        queue.add(new Entry(name, bytes, done));
        flush();
      };
    }

    /** As Jetty's: runs on the writing thread unless already flushing; callbacks run inside the loop. */
    private void flush() {
      if (flushing) {
        return;
      }
      flushing = true;
      try {
        while (!queue.isEmpty()) {
          List<Entry> written = new ArrayList<>();
          Entry e;
          while ((e = queue.poll()) != null) {
            if (stalled.contains(e.stream())) {
              pending.add(e);
            } else {
              written.add(e);
            }
          }
          if (written.isEmpty()) {
            break;
          }
          socketWrites++;
          for (Entry w : written) {
            byte[] b = new byte[w.bytes().remaining()];
            w.bytes().get(b);
            received.get(w.stream()).writeBytes(b);
          }
          written.forEach(w -> w.done().succeeded());
        }
      } finally {
        flushing = false;
      }
    }
  }

  /** Runs drains when the test says, as the scheduler would after the woken watch threads. */
  private final Queue<Runnable> drains = new ArrayDeque<>();

  private void runDrains() {
    Runnable r;
    while ((r = drains.poll()) != null) {
      r.run();
    }
  }

  @Test
  void oneEventToManyStreamsLeavesInTwoSocketWritesAndInOrderPerStream() throws Exception {
    Flusher flusher = new Flusher();
    ConnectionWrites writes = gathering();
    List<WatchStreamWriter> writers = new ArrayList<>();
    for (int s = 0; s < 50; s++) {
      writes.join();
      writers.add(new WatchStreamWriter(writes.sink(flusher.stream("s" + s)), Duration.ofSeconds(5)));
    }
    for (int event = 0; event < 3; event++) {
      for (int s = 0; s < writers.size(); s++) {
        writers.get(s).send(("{\"s\":" + s + ",\"e\":" + event + "}").getBytes(StandardCharsets.UTF_8));
        writers.get(s).flush();
      }
      assertThat(flusher.socketWrites).as("nothing is written before the drain runs").isEqualTo(2 * event);
      runDrains();
      assertThat(flusher.socketWrites).isEqualTo(2 * (event + 1));
    }
    for (int s = 0; s < writers.size(); s++) {
      writers.get(s).awaitInFlight();
      assertThat(flusher.received.get("s" + s).toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"s\":%d,\"e\":0}\n{\"s\":%d,\"e\":1}\n{\"s\":%d,\"e\":2}\n".formatted(s, s, s));
    }
  }

  @Test
  void aDrainWaitsForEveryWatchOfTheConnectionThenSendsOneBatch() throws Exception {
    Flusher flusher = new Flusher();
    ConnectionWrites writes = new ConnectionWrites(Thread::startVirtualThread, Duration.ofSeconds(30),
        Duration.ofSeconds(60));
    List<Content.Sink> streams = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      writes.join();
      streams.add(writes.sink(flusher.stream("s" + s)));
    }
    FutureCallback first = write(streams.get(0), "a");
    FutureCallback second = write(streams.get(1), "b");
    Thread.sleep(100);
    assertThat(first.isDone() || second.isDone()).as("the drain lingers for the third watch").isFalse();
    FutureCallback third = write(streams.get(2), "c");
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    third.get(10, TimeUnit.SECONDS);
    assertThat(flusher.socketWrites).isEqualTo(2);
  }

  @Test
  void aDrainStopsLingeringWhenNoWriteComesForTheQuietTime() throws Exception {
    Flusher flusher = new Flusher();
    ConnectionWrites writes = new ConnectionWrites(Thread::startVirtualThread, Duration.ofMillis(20),
        Duration.ofSeconds(60));
    writes.join();
    writes.join();
    FutureCallback alone = write(writes.sink(flusher.stream("s")), "x");
    alone.get(10, TimeUnit.SECONDS);
    assertThat(flusher.received.get("s").toString(StandardCharsets.UTF_8)).isEqualTo("x");
    assertThat(writes.leave()).isFalse();
    assertThat(writes.leave()).isTrue();
  }

  @Test
  void aStalledStreamFirstInItsBatchDoesNotHoldUpTheOthers() throws Exception {
    Flusher flusher = new Flusher();
    ConnectionWrites writes = gathering();
    flusher.stalled.add("slow");
    Content.Sink slow = writes.sink(flusher.stream("slow"));
    Content.Sink a = writes.sink(flusher.stream("a"));
    Content.Sink b = writes.sink(flusher.stream("b"));
    FutureCallback slowDone = write(slow, "s1");
    FutureCallback a1 = write(a, "a1");
    FutureCallback b1 = write(b, "b1");
    runDrains();
    assertThat(a1.isDone() && b1.isDone()).isTrue();
    assertThat(slowDone.isDone()).isFalse();
    // the stalled write stays pending; later batches of the others still go out
    FutureCallback a2 = write(a, "a2");
    FutureCallback b2 = write(b, "b2");
    runDrains();
    assertThat(a2.isDone() && b2.isDone()).isTrue();
    assertThat(flusher.received.get("a").toString(StandardCharsets.UTF_8)).isEqualTo("a1a2");
    assertThat(flusher.received.get("b").toString(StandardCharsets.UTF_8)).isEqualTo("b1b2");
    assertThat(flusher.pending).hasSize(1);
  }

  @Test
  void aFailedFirstWriteStillSendsTheRest() throws Exception {
    Flusher flusher = new Flusher();
    ConnectionWrites writes = gathering();
    Content.Sink broken = writes.sink((last, bytes, done) -> done.failed(new java.io.EOFException("reset")));
    Content.Sink ok = writes.sink(flusher.stream("ok"));
    FutureCallback failed = write(broken, "x");
    FutureCallback sent = write(ok, "y");
    runDrains();
    assertThat(failed.isFailed()).isTrue();
    assertThat(sent.isDone() && !sent.isFailed()).isTrue();
    assertThat(flusher.received.get("ok").toString(StandardCharsets.UTF_8)).isEqualTo("y");
  }

  @Test
  void aRejectedDrainRunsOnTheWritingThread() {
    Flusher flusher = new Flusher();
    ConnectionWrites writes = new ConnectionWrites(r -> {
      throw new java.util.concurrent.RejectedExecutionException("stopping");
    }, Duration.ofMillis(1), Duration.ofMillis(5));
    FutureCallback sent = write(writes.sink(flusher.stream("s")), "z");
    assertThat(sent.isDone()).isTrue();
    assertThat(flusher.received.get("s").toString(StandardCharsets.UTF_8)).isEqualTo("z");
  }

  @Test
  void connectionsAreCountedByTheirWatches() {
    try (WatchConnections connections = new WatchConnections()) {
      Object c1 = new Object();
      Object c2 = new Object();
      ConnectionWrites w1 = connections.join(c1);
      assertThat(connections.join(c1)).isSameAs(w1);
      assertThat(connections.join(c2)).isNotSameAs(w1);
      connections.leave(c1);
      assertThat(connections.size()).isEqualTo(2);
      connections.leave(c1);
      connections.leave(c2);
      assertThat(connections.size()).isZero();
    }
  }

  private ConnectionWrites gathering() {
    return new ConnectionWrites(drains::add, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  private static FutureCallback write(Content.Sink sink, String text) {
    FutureCallback done = new FutureCallback();
    sink.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
    return done;
  }
}
