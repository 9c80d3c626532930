package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AsyncBinderTest {

    @Test
    void bindReturnsBeforeTheWriteAndReportsItsOutcomeOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> failed = new CopyOnWriteArrayList<>();
        AsyncBinder binder = new AsyncBinder((p, n) -> {
            release.await();
            if (p.key().endsWith("bad")) {
                throw new IllegalStateException("pod bad is already assigned");
            }
        }, 4, (p, n, e) -> failed.add(p.key() + ": " + e.getMessage()));
        binder.bind(PodInfo.of(pod("good").build()), "n1");
        binder.bind(PodInfo.of(pod("bad").build()), "n1");
        var good = binder.outcome("default/good");
        var bad = binder.outcome("default/bad");
        assertThat(good).as("write still in flight").isNotDone();
        release.countDown();
        good.get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(bad::isDone);
        assertThat(bad).isCompletedExceptionally();
        assertThat(failed).containsExactly("default/bad: pod bad is already assigned");
        assertThat(binder.outcome("default/good")).as("taken once").isCompleted();
        binder.close();
    }

    @Test
    void atMostMaxInFlightBindingsAreOutstanding() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AsyncBinder binder = new AsyncBinder((p, n) -> release.await(), 1, (p, n, e) -> { });
        binder.bind(PodInfo.of(pod("a").build()), "n1");
        Thread second = Thread.ofVirtual().start(() -> {
            try {
                binder.bind(PodInfo.of(pod("b").build()), "n1");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(second.join(Duration.ofMillis(200))).as("waits for a free slot").isFalse();
        release.countDown();
        assertThat(second.join(Duration.ofSeconds(5))).isTrue();
        binder.close();
    }
}
