package dev.skiff.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartBatchTest {
  @Test
  void runsAllWhenNothingFails() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    var outcome = SlowStartBatch.run(10, 1, calls::incrementAndGet);
    assertThat(outcome.successes()).isEqualTo(10);
    assertThat(outcome.firstError()).isNull();
    assertThat(calls).hasValue(10);
  }

  @Test
  void stopsAfterTheBatchWithTheFirstFailure() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // batches 1, 2, 4: the 4th call overall fails, in the third batch (calls 4..7)
    var outcome = SlowStartBatch.run(100, 1, () -> {
      if (calls.incrementAndGet() == 4) {
        throw new IllegalStateException("quota");
      }
    });
    assertThat(calls).hasValue(7);
    assertThat(outcome.successes()).isEqualTo(6);
    assertThat(outcome.firstError()).hasMessage("quota");
  }
}
