package dev.skiff.controllers.cronjob;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * When a CronJob is due, as upstream's {@code mostRecentScheduleTime} and
 * {@code nextScheduleTimeDuration}: the schedule is read in the CronJob's zone; times are looked
 * for after the last schedule time (or the creation time), but no earlier than the starting
 * deadline allows.
 *
 * @param schedule the parsed {@code spec.schedule}
 * @param zone {@code spec.timeZone}, else the schedule's {@code CRON_TZ}, else the controller's zone
 */
public record ScheduleTimes(CronSchedule schedule, ZoneId zone) {
  /** Upstream stops counting missed times here and warns with {@code TooManyMissedTimes}. */
  public static final int TOO_MANY_MISSED = 100;

  public ScheduleTimes {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(zone, "zone");
  }

  /**
   * The latest schedule time in (earliest, now], and how many there were.
   *
   * @param missed the number of schedule times in the window, counted up to {@link #TOO_MANY_MISSED} + 1
   */
  public record Due(Optional<Instant> mostRecent, int missed) {}

  /**
   * @param earliest {@code status.lastScheduleTime}, else the creation time
   * @param startingDeadlineSeconds null when unset
   */
  public Due due(Instant earliest, Long startingDeadlineSeconds, Instant now) {
    Instant from = earliest;
    if (startingDeadlineSeconds != null) {
      Instant deadline = now.minusSeconds(startingDeadlineSeconds);
      if (deadline.isAfter(from)) {
        from = deadline;
      }
    }
    Optional<Instant> mostRecent = Optional.empty();
    int missed = 0;
    Optional<Instant> t = next(from);
    while (t.isPresent() && !t.get().isAfter(now)) {
      mostRecent = t;
      if (missed <= TOO_MANY_MISSED) {
        missed++;
      }
      t = next(t.get());
    }
    return new Due(mostRecent, missed);
  }

  /** The first schedule time strictly after {@code after}. */
  public Optional<Instant> next(Instant after) {
    return schedule.next(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
  }
}
