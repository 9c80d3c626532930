package dev.skiff.scheduler.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventSpamFilterTest {
    private final Instant t0 = Instant.parse("2026-11-27T07:00:00Z");

    @Test
    void twentyFiveEventsPassThenOnePerFiveMinutes() {
        EventSpamFilter filter = new EventSpamFilter();
        for (int i = 0; i < EventSpamFilter.BURST; i++) {
            assertThat(filter.allow("uid-a", "Warning", t0.plusMillis(i))).as("event %d", i).isTrue();
        }
        assertThat(filter.allow("uid-a", "Warning", t0.plusSeconds(1))).isFalse();
        assertThat(filter.allow("uid-a", "Warning", t0.plusSeconds(60))).isFalse();
        Instant refilled = t0.plus(EventSpamFilter.REFILL).plusSeconds(1);
        assertThat(filter.allow("uid-a", "Warning", refilled)).isTrue();
        assertThat(filter.allow("uid-a", "Warning", refilled.plusSeconds(1))).isFalse();
    }

    @Test
    void objectsAndTypesHaveTheirOwnBuckets() {
        EventSpamFilter filter = new EventSpamFilter();
        for (int i = 0; i < EventSpamFilter.BURST; i++) {
            filter.allow("uid-a", "Warning", t0);
        }
        assertThat(filter.allow("uid-a", "Warning", t0)).isFalse();
        // the Scheduled event of a pod that failed many times still goes out, and other pods are unaffected
        assertThat(filter.allow("uid-a", "Normal", t0)).isTrue();
        assertThat(filter.allow("uid-b", "Warning", t0)).isTrue();
        // a bucket never holds more than the burst, however long it rested
        Instant later = t0.plus(Duration.ofDays(1));
        int allowed = 0;
        for (int i = 0; i < 40; i++) {
            allowed += filter.allow("uid-a", "Warning", later) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(EventSpamFilter.BURST);
    }
}
