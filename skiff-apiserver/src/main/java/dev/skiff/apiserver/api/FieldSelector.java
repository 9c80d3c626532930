package dev.skiff.apiserver.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parsed field selector ({@code k8s.io/apimachinery/pkg/fields}): {@code a=b}, {@code a==b} and
 * {@code a!=b} joined by commas, with backslash escapes for {@code \ , =}. Which fields may be
 * selected is up to each resource. Immutable and thread-safe.
 */
public record FieldSelector(List<Term> terms) {
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** One condition: the field equals (or, when {@code negated}, differs from) the value. */
  public record Term(String field, String value, boolean negated) {
    public Term {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
    }
  }

  public FieldSelector {
    terms = List.copyOf(terms);
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The value this selector requires {@code field} to equal, if one term says so. */
  public Optional<String> requiredValue(String field) {
    return terms.stream().filter(t -> t.field.equals(field) && !t.negated).map(Term::value).findFirst();
  }

  /** Whether an object whose fields read as {@code fields} matches; unknown fields read as "". */
  public boolean matches(Function<String, Optional<String>> fields) {
    for (Term t : terms) {
      String have = fields.apply(t.field).orElse("");
      if (have.equals(t.value) == t.negated) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a selector; blank means everything.
   *
   * @throws StatusError 400 BadRequest when a term has no operator
   */
  public static FieldSelector parse(String s) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Term> out = new ArrayList<>();
    for (String part : split(s, ',')) {
      out.add(term(part, s));
    }
    return new FieldSelector(out);
  }

  private static Term term(String part, String whole) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '!' && i + 1 < part.length() && part.charAt(i + 1) == '=') {
        return new Term(unescape(part.substring(0, i)), unescape(part.substring(i + 2)), true);
      }
      if (c == '=') {
        int skip = i + 1 < part.length() && part.charAt(i + 1) == '=' ? 2 : 1;
        return new Term(unescape(part.substring(0, i)), unescape(part.substring(i + skip)), false);
      }
    }
    throw StatusError.badRequest("invalid selector: '" + whole + "'; can't understand '" + part + "'");
  }

  private static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == sep) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        c = s.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
