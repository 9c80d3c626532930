package dev.skiff.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches that share one HTTP/2 connection get an event's frames in shared socket writes: the
 * process's write system calls (server and client together, from /proc/self/io) for 30 creates
 * delivered to 50 watches grow by far fewer than the 1,500 deliveries, compared with the same
 * creates and no watch; every watch still gets every event, in order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WatchWriteGatheringTest {
  private static final int WATCHES = 50;
  private static final int WRITES = 30;

  @TempDir Path dir;

  @Test
  void anEventsFramesToWatchesOnOneConnectionShareSocketWrites() throws Exception {
    try (Store store = SqliteStore.open(dir.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null))) {
      server.start();
      ApiClient api = ApiClient.of(dir.resolve("tls"), server.port(), true);
      create(api, "warm", 0, WRITES); // the JIT and SQLite warm up before either count
      long unwatched = writeSyscalls();
      create(api, "alone", 0, WRITES);
      unwatched = writeSyscalls() - unwatched;

      String from = Long.toString(store.currentRevision());
      List<HttpResponse<Stream<String>>> watches = new ArrayList<>();
      CountDownLatch allSeen = new CountDownLatch(WATCHES);
      AtomicInteger outOfOrder = new AtomicInteger();
      try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < WATCHES; i++) {
          HttpResponse<Stream<String>> w = api.stream("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + from);
          watches.add(w);
          readers.submit(() -> {
            Iterator<String> lines = w.body().iterator();
            for (int n = 0; n < WRITES; n++) {
              if (!lines.next().contains("\"name\":\"watched-" + n + "\"")) {
                outOfOrder.incrementAndGet();
              }
            }
            allSeen.countDown();
            return null;
          });
        }
        long watched = writeSyscalls();
        create(api, "watched", 0, WRITES);
        assertThat(allSeen.await(120, TimeUnit.SECONDS)).as("every watch saw every write").isTrue();
        watched = writeSyscalls() - watched;
        assertThat(outOfOrder.get()).isZero();
        // one socket write per delivery would add WATCHES * WRITES; gathered, about two per event
      // (a third of it leaves room for a loaded machine, where drains stop lingering early)
        assertThat(watched - unwatched).as("write syscalls added by %d deliveries (%d without watches, %d with)",
            WATCHES * WRITES, unwatched, watched).isLessThan(WATCHES * WRITES / 3);
      } finally {
        watches.forEach(w -> w.body().close());
      }
    }
  }

  private static void create(ApiClient api, String prefix, int from, int count) throws Exception {
    for (int i = from; i < from + count; i++) {
      HttpResponse<String> created = api.send("POST", "/api/v1/namespaces/default/configmaps",
          "application/json", "{\"metadata\":{\"name\":\"" + prefix + "-" + i + "\"},\"data\":{\"i\":\"" + i + "\"}}");
      assertThat(created.statusCode()).isEqualTo(201);
    }
  }

  /** The write system calls of this process so far (syscw of /proc/self/io). */
  private static long writeSyscalls() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
      if (line.startsWith("syscw:")) {
        return Long.parseLong(line.substring(6).trim());
      }
    }
    throw new IllegalStateException("no syscw in /proc/self/io");
  }
}
