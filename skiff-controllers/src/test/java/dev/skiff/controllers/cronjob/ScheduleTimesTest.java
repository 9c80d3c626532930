package dev.skiff.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Schedule math at chosen instants: no waiting for the clock. */
class ScheduleTimesTest {
  final ScheduleTimes everyMinute = new ScheduleTimes(CronSchedule.parse("*/1 * * * *"), ZoneOffset.UTC);
  final Instant created = Instant.parse("2026-11-26T10:00:20Z");

  @Test
  void nothingDueBeforeTheFirstScheduleTime() {
    ScheduleTimes.Due due = everyMinute.due(created, null, Instant.parse("2026-11-26T10:00:59Z"));
    assertThat(due.mostRecent()).isEmpty();
    assertThat(due.missed()).isZero();
    assertThat(everyMinute.next(Instant.parse("2026-11-26T10:00:59Z"))).hasValue(Instant.parse("2026-11-26T10:01:00Z"));
  }

  @Test
  void theMostRecentOfSeveralDueTimesRunsAndTheOthersCountAsMissed() {
    ScheduleTimes.Due due = everyMinute.due(created, null, Instant.parse("2026-11-26T10:05:30Z"));
    assertThat(due.mostRecent()).hasValue(Instant.parse("2026-11-26T10:05:00Z"));
    assertThat(due.missed()).isEqualTo(5);
  }

  @Test
  void theStartingDeadlineLimitsHowFarBackTimesAreLookedFor() {
    ScheduleTimes.Due due = everyMinute.due(created, 100L, Instant.parse("2026-11-26T12:00:30Z"));
    assertThat(due.mostRecent()).hasValue(Instant.parse("2026-11-26T12:00:00Z"));
    assertThat(due.missed()).isEqualTo(2); // 11:59 and 12:00, within the last 100 s
  }

  @Test
  void tooManyMissedTimesAreCountedOnlyUpToTheWarningThreshold() {
    ScheduleTimes.Due due = everyMinute.due(created, null, Instant.parse("2026-11-27T10:00:30Z"));
    assertThat(due.mostRecent()).hasValue(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(due.missed()).isEqualTo(ScheduleTimes.TOO_MANY_MISSED + 1);
  }

  @Test
  void scheduleIsReadInTheCronJobsZone() {
    ScheduleTimes tokyoNine = new ScheduleTimes(CronSchedule.parse("0 9 * * *"), ZoneId.of("Asia/Tokyo"));
    assertThat(tokyoNine.next(Instant.parse("2026-11-26T10:00:00Z"))).hasValue(Instant.parse("2026-11-27T00:00:00Z"));
  }
}
