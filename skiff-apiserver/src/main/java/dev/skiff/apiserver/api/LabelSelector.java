package dev.skiff.apiserver.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed label selector with upstream's string syntax and semantics
 * ({@code k8s.io/apimachinery/pkg/labels}): {@code a=b}, {@code a==b}, {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}, {@code a>1}, {@code a<1}, joined
 * by commas, all of which must hold. {@code !=} and {@code notin} also match objects without the
 * label. Immutable and thread-safe.
 */
public record LabelSelector(List<Requirement> requirements) {
  private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

  /** One condition on one label key. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      values = Set.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
        case GREATER_THAN, LESS_THAN -> {
          if (v == null) {
            yield false;
          }
          try {
            long have = Long.parseLong(v);
            long want = Long.parseLong(values.iterator().next());
            yield operator == Operator.GREATER_THAN ? have > want : have < want;
          } catch (NumberFormatException e) {
            yield false;
          }
        }
      };
    }
  }

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /**
   * The selector of a {@code metav1.LabelSelector} object ({@code matchLabels} and
   * {@code matchExpressions}), as workloads hold it.
   *
   * @throws IllegalArgumentException for an unknown operator
   */
  public static LabelSelector fromObject(tools.jackson.databind.JsonNode selector) {
    List<Requirement> out = new ArrayList<>();
    for (Map.Entry<String, tools.jackson.databind.JsonNode> e : selector.path("matchLabels").properties()) {
      out.add(new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue().asString(""))));
    }
    for (tools.jackson.databind.JsonNode expr : selector.path("matchExpressions")) {
      Set<String> values = new TreeSet<>();
      expr.path("values").forEach(v -> values.add(v.asString("")));
      String op = expr.path("operator").asString("");
      Operator o = switch (op) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException("\"" + op + "\" is not a valid label selector operator");
      };
      out.add(new Requirement(expr.path("key").asString(""), o, values));
    }
    return new LabelSelector(out);
  }

  /** The string form, as upstream's {@code FormatLabelSelector}: requirements sorted by key. */
  public String format() {
    List<String> parts = new ArrayList<>();
    requirements.stream().sorted(java.util.Comparator.comparing(Requirement::key)).forEach(r -> {
      String values = String.join(",", new TreeSet<>(r.values()));
      parts.add(switch (r.operator()) {
        case EQUALS -> r.key() + "=" + values;
        case NOT_EQUALS -> r.key() + "!=" + values;
        case IN -> r.key() + " in (" + values + ")";
        case NOT_IN -> r.key() + " notin (" + values + ")";
        case EXISTS -> r.key();
        case DOES_NOT_EXIST -> "!" + r.key();
        case GREATER_THAN -> r.key() + ">" + values;
        case LESS_THAN -> r.key() + "<" + values;
      });
    });
    return parts.isEmpty() ? "<none>" : String.join(",", parts);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a selector string; blank means everything.
   *
   * @throws StatusError 400 BadRequest when the string is not a valid selector
   */
  public static LabelSelector parse(String s) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String part : splitTopLevel(s)) {
      out.add(requirement(part.strip(), s));
    }
    return new LabelSelector(out);
  }

  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  private static Requirement requirement(String p, String whole) {
    if (p.isEmpty()) {
      throw bad(whole, "found '', expected: identifier");
    }
    if (p.startsWith("!")) {
      return new Requirement(key(p.substring(1).strip(), whole), Operator.DOES_NOT_EXIST, Set.of());
    }
    Matcher set = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(p);
    if (set.matches()) {
      Set<String> values = new TreeSet<>();
      for (String v : set.group(3).split(",", -1)) {
        values.add(value(v.strip(), whole));
      }
      return new Requirement(key(set.group(1), whole),
          set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
    }
    for (String op : List.of("!=", "==", "=", ">", "<")) {
      int i = p.indexOf(op);
      if (i >= 0) {
        String k = key(p.substring(0, i).strip(), whole);
        String v = p.substring(i + op.length()).strip();
        Operator o = switch (op) {
          case "!=" -> Operator.NOT_EQUALS;
          case ">" -> Operator.GREATER_THAN;
          case "<" -> Operator.LESS_THAN;
          default -> Operator.EQUALS;
        };
        if (o == Operator.GREATER_THAN || o == Operator.LESS_THAN) {
          try {
            Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw bad(whole, "for 'Gt', 'Lt' operators, the value must be an integer");
          }
        } else {
          v = value(v, whole);
        }
        return new Requirement(k, o, Set.of(v));
      }
    }
    if (p.contains(" ") || p.contains("(")) {
      throw bad(whole, "found '" + p + "', expected: in, notin, =, ==, !=, gt, lt");
    }
    return new Requirement(key(p, whole), Operator.EXISTS, Set.of());
  }

  private static String key(String k, String whole) {
    String name = k;
    int slash = k.indexOf('/');
    if (slash >= 0) {
      String prefix = k.substring(0, slash);
      name = k.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
        throw bad(whole, "invalid label key \"" + k + "\": prefix part must be a lowercase RFC 1123 subdomain");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw bad(whole, "invalid label key \"" + k
          + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and"
          + " end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
          + " for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }
    return k;
  }

  private static String value(String v, String whole) {
    if (v.length() > 63 || !VALUE.matcher(v).matches()) {
      throw bad(whole, "invalid label value: \"" + v
          + "\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_'"
          + " or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or"
          + " 'my_value',  or '12345', regex used for validation is"
          + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    return v;
  }

  private static StatusError bad(String whole, String why) {
    return StatusError.badRequest("unable to parse requirement: " + why);
  }
}
