package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.FieldSelector;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.registry.ListOptions;
import dev.skiff.apiserver.registry.TableConvertor;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the query parameters of list, watch and get requests into their option records, with
 * upstream's 400s for malformed values.
 */
final class QueryOptions {
  /** The longest a watch lasts: upstream's default minimum request timeout. */
  static final Duration MAX_WATCH = Duration.ofMinutes(30);

  private QueryOptions() {}

  static TableConvertor.IncludeObject include(Exchange ex) {
    try {
      return TableConvertor.IncludeObject.parse(ex.query("includeObject"));
    } catch (IllegalArgumentException e) {
      throw StatusError.badRequest("includeObject: unsupported value: \"" + ex.query("includeObject") + "\"");
    }
  }

  static ListOptions listOptions(Exchange ex) {
    int limit = 0;
    long timeoutSeconds = 0;
    try {
      if (!ex.query("limit").isEmpty()) {
        limit = (int) Math.max(0, Math.min(Integer.MAX_VALUE, Long.parseLong(ex.query("limit"))));
      }
      if (!ex.query("timeoutSeconds").isEmpty()) {
        timeoutSeconds = Long.parseLong(ex.query("timeoutSeconds"));
      }
    } catch (NumberFormatException e) {
      throw StatusError.badRequest("invalid number in query: " + e.getMessage());
    }
    Duration timeout = timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : MAX_WATCH;
    if (timeoutSeconds <= 0 && !ex.query("timeout").isEmpty()) {
      // upstream's request timeout (a Go duration) also bounds a watch that names no timeoutSeconds
      timeout = goDuration(ex.query("timeout"));
    }
    if (timeout.compareTo(MAX_WATCH) > 0) {
      timeout = MAX_WATCH;
    }
    String sendInitial = ex.query("sendInitialEvents");
    String match = ex.query("resourceVersionMatch");
    if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
      throw StatusError.badRequest("resourceVersionMatch: Unsupported value: \"" + match + "\"");
    }
    return new ListOptions(LabelSelector.parse(ex.query("labelSelector")), FieldSelector.parse(ex.query("fieldSelector")),
        limit, ex.query("continue"), ex.query("resourceVersion"), match,
        ex.query("allowWatchBookmarks").equals("true"), sendInitial.isEmpty() ? null : sendInitial.equals("true"), timeout);
  }

  /** Parses a Go duration such as {@code 32s}, {@code 1m30s} or {@code 500ms}. */
  static Duration goDuration(String s) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      long nanos = (long) (v * switch (m.group(2)) {
        case "h" -> 3.6e12;
        case "m" -> 6e10;
        case "s" -> 1e9;
        default -> 1e6;
      });
      total = total.plusNanos(nanos);
      end = m.end();
    }
    if (end != s.length() || end == 0) {
      throw StatusError.badRequest("invalid timeout: time: invalid duration \"" + s + "\"");
    }
    return total;
  }
}
