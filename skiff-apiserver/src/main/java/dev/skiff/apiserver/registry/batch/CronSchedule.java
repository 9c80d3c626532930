package dev.skiff.apiserver.registry.batch;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks of a CronJob schedule as upstream's robfig/cron standard parser makes them: five
 * fields of numbers, ranges, steps, lists, names and {@code *}/{@code ?}, or a descriptor such as
 * {@code @hourly}. Field ranges are checked; the calendar itself is the controller's business.
 */
final class CronSchedule {
  private static final List<String> DESCRIPTORS =
      List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
  private static final Pattern TZ_PREFIX = Pattern.compile("^(CRON_TZ|TZ)=\\S+\\s+");

  private CronSchedule() {}

  /** The parse error of {@code schedule}, or empty when it is valid. */
  static Optional<String> check(String schedule) {
    String s = TZ_PREFIX.matcher(schedule.strip()).replaceFirst("");
    if (s.startsWith("@")) {
      return DESCRIPTORS.contains(s) || s.startsWith("@every ") ? Optional.empty()
          : Optional.of("unrecognized descriptor: " + s);
    }
    String[] fields = s.split("\\s+");
    if (fields.length != 5) {
      return Optional.of("expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]");
    }
    for (int i = 0; i < 5; i++) {
      for (String part : fields[i].split(",")) {
        Optional<String> e = checkPart(part, RANGES[i][0], RANGES[i][1]);
        if (e.isPresent()) {
          return e;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> checkPart(String part, int min, int max) {
    String[] step = part.split("/", -1);
    if (step.length > 2) {
      return Optional.of("too many slashes: " + part);
    }
    String range = step[0];
    if (!range.equals("*") && !range.equals("?")) {
      for (String bound : range.split("-", -1)) {
        if (bound.matches("[A-Za-z]{3}")) {
          continue; // month and weekday names
        }
        try {
          int v = Integer.parseInt(bound);
          if (v < min || v > max) {
            return Optional.of("end of range (" + v + ") above maximum (" + max + "): " + part);
          }
        } catch (NumberFormatException e) {
          return Optional.of("failed to parse int from " + bound + ": strconv.Atoi: parsing \"" + bound + "\": invalid syntax");
        }
      }
    }
    if (step.length == 2) {
      try {
        if (Integer.parseInt(step[1]) <= 0) {
          return Optional.of("step of range should be a positive number: " + part);
        }
      } catch (NumberFormatException e) {
        return Optional.of("failed to parse int from " + step[1] + ": strconv.Atoi: parsing \"" + step[1] + "\": invalid syntax");
      }
    }
    return Optional.empty();
  }
}
