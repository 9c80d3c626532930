package dev.skiff.controllers.cronjob;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A standard five-field cron schedule (minute, hour, day of month, month, day of week) as upstream
 * parses it with robfig/cron's {@code ParseStandard}: lists, ranges, steps, {@code *} and
 * {@code ?}, month and weekday names, 7 as Sunday, the {@code @yearly}, {@code @monthly},
 * {@code @weekly}, {@code @daily}/{@code @midnight} and {@code @hourly} shorthands, and a
 * {@code CRON_TZ=<zone>} (or {@code TZ=}) prefix. As robfig, when either day field starts with
 * {@code *} or {@code ?} a day must match both; otherwise it may match either. Immutable.
 *
 * @param zone the prefix's zone, if the expression had one
 */
public record CronSchedule(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
    boolean anyDayOfMonth, boolean anyDayOfWeek, Optional<ZoneId> zone) {
  private static final Map<String, String> SHORTHANDS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
  private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
  /** How far {@link #next} looks ahead before deciding that a schedule never fires (Feb 30th). */
  private static final int YEARS_AHEAD = 5;

  public CronSchedule {
    Objects.requireNonNull(zone, "zone");
  }

  /** Parses {@code spec}; the message of the exception says what is wrong, as robfig's errors do. */
  public static CronSchedule parse(String spec) {
    String s = Objects.requireNonNull(spec, "spec").trim();
    Optional<ZoneId> zone = Optional.empty();
    if (s.startsWith("CRON_TZ=") || s.startsWith("TZ=")) {
      int space = s.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("missing fields after time zone: " + spec);
      }
      String id = s.substring(s.indexOf('=') + 1, space);
      try {
        zone = Optional.of(ZoneId.of(id));
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException("provided bad location " + id + ": " + e.getMessage());
      }
      s = s.substring(space + 1).trim();
    }
    if (s.startsWith("@")) {
      String expanded = SHORTHANDS.get(s.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + s);
      }
      s = expanded;
    }
    String[] f = s.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("expected exactly 5 fields, found " + f.length + ": " + spec);
    }
    BitSet dow = field(f[4], 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0); // 7 is Sunday too
      dow.clear(7);
    }
    return new CronSchedule(field(f[0], 0, 59, List.of()), field(f[1], 0, 23, List.of()), field(f[2], 1, 31, List.of()),
        field(f[3], 1, 12, MONTHS), dow, startsWithStar(f[2]), startsWithStar(f[4]), zone);
  }

  private static boolean startsWithStar(String field) {
    for (String part : field.split(",")) {
      if (part.startsWith("*") || part.startsWith("?")) {
        return true;
      }
    }
    return false;
  }

  private static BitSet field(String expr, int min, int max, List<String> names) {
    BitSet bits = new BitSet();
    for (String part : expr.split(",")) {
      String[] rangeAndStep = part.split("/", -1);
      if (rangeAndStep.length > 2) {
        throw new IllegalArgumentException("too many slashes: " + part);
      }
      String range = rangeAndStep[0];
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max == 7 ? 6 : max;
      } else {
        String[] bounds = range.split("-", -1);
        if (bounds.length > 2) {
          throw new IllegalArgumentException("too many hyphens: " + part);
        }
        lo = value(bounds[0], names, min);
        hi = bounds.length == 2 ? value(bounds[1], names, min) : lo;
        if (rangeAndStep.length == 2 && bounds.length == 1) {
          hi = max == 7 ? 6 : max; // "5/15" means 5 through the end, every 15
        }
      }
      int step = 1;
      if (rangeAndStep.length == 2) {
        step = parseInt(rangeAndStep[1], part);
        if (step <= 0) {
          throw new IllegalArgumentException("step of range should be a positive number: " + part);
        }
      }
      if (lo < min || hi > max || lo > hi) {
        throw new IllegalArgumentException("value out of range (" + min + " to " + max + "): " + part);
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String token, List<String> names, int min) {
    int named = names.indexOf(token.toLowerCase(Locale.ROOT));
    if (named >= 0) {
      return named + min; // months count from 1, days from 0
    }
    return parseInt(token, token);
  }

  private static int parseInt(String token, String context) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse int from " + token + ": " + context);
    }
  }

  /** The first time this schedule fires strictly after {@code after}, in {@code after}'s zone; empty if never. */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(YEARS_AHEAD);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(t.getZone());
      } else if (!dayMatches(t)) {
        t = t.toLocalDate().plusDays(1).atStartOfDay(t.getZone());
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
  }
}
