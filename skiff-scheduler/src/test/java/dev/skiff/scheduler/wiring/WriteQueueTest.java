package dev.skiff.scheduler.wiring;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WriteQueueTest {

    @Test
    void writesPastTheCapacityAreDroppedAndCountedWhileTheWorkerIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        try (WriteQueue queue = new WriteQueue("test-writes", 1, 3)) {
            CountDownLatch started = new CountDownLatch(1);
            assertThat(queue.offer(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.add(0);
            })).isTrue();
            started.await();
            for (int i = 1; i <= 5; i++) {
                int n = i;
                boolean taken = queue.offer(() -> written.add(n));
                assertThat(taken).as("write %d", i).isEqualTo(i <= 3);
            }
            assertThat(queue.dropped()).isEqualTo(2);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 4);
            assertThat(written).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void aFailedWriteDoesNotStopTheWorkers() throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        try (WriteQueue queue = new WriteQueue("test-writes", 1, 10)) {
            queue.offer(() -> {
                throw new IllegalStateException("refused");
            });
            queue.offer(() -> written.add("after"));
            await().atMost(Duration.ofSeconds(10)).until(() -> written.contains("after"));
        }
    }

    @Test
    void closeFinishesTheWritesAlreadyQueued() throws Exception {
        List<Integer> written = new CopyOnWriteArrayList<>();
        WriteQueue queue = new WriteQueue("test-writes", 2, 100);
        for (int i = 0; i < 50; i++) {
            int n = i;
            queue.offer(() -> written.add(n));
        }
        queue.close();
        assertThat(written).hasSize(50);
    }
}
