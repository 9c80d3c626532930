package dev.skiff.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {
  record Case(String spec, String after, String next) {}

  static Stream<Case> cases() {
    return Stream.of(
        new Case("*/1 * * * *", "2026-11-26T10:15:30Z", "2026-11-26T10:16:00Z"),
        new Case("* * * * *", "2026-11-26T10:15:00Z", "2026-11-26T10:16:00Z"),
        new Case("*/15 * * * *", "2026-11-26T10:15:00Z", "2026-11-26T10:30:00Z"),
        new Case("5/20 * * * *", "2026-11-26T10:46:00Z", "2026-11-26T11:05:00Z"),
        new Case("0 9-17/4 * * *", "2026-11-26T13:00:00Z", "2026-11-26T17:00:00Z"),
        new Case("30 2 * * MON-FRI", "2026-11-27T03:00:00Z", "2026-11-30T02:30:00Z"), // Friday -> Monday
        new Case("0 0 * * 7", "2026-11-26T00:00:00Z", "2026-11-29T00:00:00Z"), // 7 is Sunday
        new Case("0 0 1,15 * *", "2026-11-02T00:00:00Z", "2026-11-15T00:00:00Z"),
        // both day fields restricted: either may match (the 13th, or any Friday)
        new Case("0 0 13 * 5", "2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z"),
        new Case("0 0 29 FEB *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        new Case("@hourly", "2026-11-26T10:15:00Z", "2026-11-26T11:00:00Z"),
        new Case("@daily", "2026-11-26T10:15:00Z", "2026-11-27T00:00:00Z"),
        new Case("@weekly", "2026-11-26T10:15:00Z", "2026-11-29T00:00:00Z"),
        new Case("@monthly", "2026-11-26T10:15:00Z", "2026-12-01T00:00:00Z"),
        new Case("@yearly", "2026-11-26T10:15:00Z", "2027-01-01T00:00:00Z"),
        new Case("0 12 * DEC ?", "2026-11-26T10:15:00Z", "2026-12-01T12:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void nextTime(Case c) {
    ZonedDateTime after = ZonedDateTime.parse(c.after());
    assertThat(CronSchedule.parse(c.spec()).next(after)).hasValue(ZonedDateTime.parse(c.next()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "*/0 * * * *", "a * * * *",
      "@fortnightly", "CRON_TZ=Mars/Olympus 0 * * * *", "1-2-3 * * * *"})
  void rejectsInvalidSpecs(String spec) {
    assertThatThrownBy(() -> CronSchedule.parse(spec)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void cronTzPrefixAndDaylightSavingTime() {
    CronSchedule s = CronSchedule.parse("CRON_TZ=Europe/Berlin 30 2 * * *");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(s.zone()).hasValue(berlin);
    // 2026-03-29 02:30 does not exist in Berlin (clocks jump from 02:00 to 03:00)
    ZonedDateTime next = s.next(ZonedDateTime.of(2026, 3, 28, 3, 0, 0, 0, berlin)).orElseThrow();
    assertThat(next.toLocalDate().toString()).isEqualTo("2026-03-30");
    assertThat(next.getHour()).isEqualTo(2);
  }

  @org.junit.jupiter.api.Test
  void neverFiringScheduleHasNoNextTime() {
    assertThat(CronSchedule.parse("0 0 30 2 *").next(ZonedDateTime.parse("2026-01-01T00:00:00Z"))).isEmpty();
  }
}
