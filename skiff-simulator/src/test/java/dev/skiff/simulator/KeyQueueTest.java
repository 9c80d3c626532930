package dev.skiff.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KeyQueueTest {

    @Test
    void aKeyIsQueuedOnceAndNeverHandedToTwoWorkers() throws Exception {
        KeyQueue q = new KeyQueue();
        q.add("a");
        q.add("a");
        q.add("b");
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.take(Duration.ZERO)).contains("a");
        q.add("a"); // changed while being processed
        assertThat(q.take(Duration.ZERO)).contains("b");
        assertThat(q.take(Duration.ofMillis(10))).as("a is still in process").isEmpty();
        q.done("a");
        assertThat(q.take(Duration.ZERO)).contains("a");
        q.done("a");
        q.close();
        q.add("c");
        assertThat(q.take(Duration.ofSeconds(1))).as("closed").isEmpty();
    }
}
