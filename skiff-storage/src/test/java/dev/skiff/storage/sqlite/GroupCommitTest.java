package dev.skiff.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.WriteResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
  @TempDir Path dir;

  @Test
  void concurrentWritersGetDenseUniqueRevisions() throws Exception {
    int writers = 32;
    int each = 50;
    ConcurrentLinkedQueue<Long> revisions = new ConcurrentLinkedQueue<>();
    try (SqliteStore store = SqliteStore.open(dir.resolve("skiff.db"))) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        threads.add(Thread.ofVirtual().start(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          for (int i = 0; i < each; i++) {
            WriteResult r = store.create(Bytes.of("w" + id + "/" + i), Bytes.of("v"));
            revisions.add(((WriteResult.Written) r).revision());
          }
        }));
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      List<Long> sorted = revisions.stream().sorted().toList();
      assertThat(sorted).hasSize(writers * each).doesNotHaveDuplicates();
      assertThat(sorted.getFirst()).isEqualTo(2);
      assertThat(sorted.getLast()).isEqualTo(1 + writers * each);
      assertThat(store.currentRevision()).isEqualTo(1 + writers * each);
      assertThat(store.range(RangeRequest.prefix(Bytes.of("w")).counting()).count())
          .isEqualTo(writers * each);
    }
  }

  @Test
  void concurrentCompareAndSwapOnOneKeyHasExactlyOneWinner() throws Exception {
    try (SqliteStore store = SqliteStore.open(dir.resolve("skiff.db"))) {
      long rev = store.create(Bytes.of("k"), Bytes.of("0")).revision();
      for (int round = 0; round < 20; round++) {
        long expected = rev;
        ConcurrentLinkedQueue<WriteResult> results = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int id = i;
          threads.add(Thread.ofVirtual().start(
              () -> results.add(store.update(Bytes.of("k"), Bytes.of("v" + id), expected))));
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(results).filteredOn(r -> r instanceof WriteResult.Written).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof WriteResult.RevisionMismatch).hasSize(7);
        rev = store.currentRevision();
        assertThat(rev).isEqualTo(expected + 1);
      }
    }
  }
}
