package dev.skiff.quota;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Set;

/**
 * An exact resource amount with upstream's {@code resource.Quantity} printing: the value in base
 * units (cores, bytes, objects) and whether it prints with binary suffixes (Ki, Mi, ...). Sums keep
 * the format of the left operand unless it is zero, as upstream's {@code Quantity.Add} does, so
 * 0 + 512Mi + 512Mi prints {@code 1Gi} and 250m + 250m prints {@code 500m}. Immutable.
 */
public record Amount(BigDecimal value, boolean binary) implements Comparable<Amount> {
  public static final Amount ZERO = new Amount(BigDecimal.ZERO, false);
  private static final Set<String> BINARY_SUFFIXES = Set.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String[] DECIMAL = {"", "k", "M", "G", "T", "P", "E"};
  private static final BigDecimal KIBI = BigDecimal.valueOf(1024);
  private static final BigDecimal KILO = BigDecimal.valueOf(1000);

  public Amount {
    Objects.requireNonNull(value, "value");
  }

  /** An object count or another plain integer, printed in decimal. */
  public static Amount of(long count) {
    return new Amount(BigDecimal.valueOf(count), false);
  }

  /** @throws IllegalArgumentException when {@code text} is not a quantity */
  public static Amount parse(String text) {
    return of(new Quantity(Objects.requireNonNull(text, "text")));
  }

  public static Amount of(Quantity q) {
    Objects.requireNonNull(q, "q");
    // fabric8 splits "1Gi" into amount "1" and format "Gi" only when built from a string
    Quantity parsed = q.getFormat() == null || q.getFormat().isEmpty() ? new Quantity(q.getAmount()) : q;
    return new Amount(Quantity.getAmountInBytes(parsed), BINARY_SUFFIXES.contains(parsed.getFormat()));
  }

  /** The sum, in this amount's format, or in {@code other}'s when this is zero (as upstream's Add). */
  public Amount plus(Amount other) {
    return new Amount(value.add(other.value), isZero() ? other.binary : binary);
  }

  /** The difference, formatted as {@link #plus} does. */
  public Amount minus(Amount other) {
    return new Amount(value.subtract(other.value), isZero() ? other.binary : binary);
  }

  /** The larger of the two, keeping the format of the one chosen. */
  public Amount max(Amount other) {
    return compareTo(other) >= 0 ? this : other;
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  public Quantity toQuantity() {
    return new Quantity(toString());
  }

  @Override
  public int compareTo(Amount o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Amount a && value.compareTo(a.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.stripTrailingZeros().hashCode();
  }

  /** Upstream's canonical form: the largest suffix that keeps an integer mantissa ("2k", "1Gi", "500m"). */
  @Override
  public String toString() {
    if (value.signum() == 0) {
      return "0";
    }
    String sign = value.signum() < 0 ? "-" : "";
    BigDecimal abs = value.abs();
    if (isInteger(abs)) {
      BigDecimal base = binary ? KIBI : KILO;
      String[] suffixes = binary ? BINARY : DECIMAL;
      for (int k = suffixes.length - 1; k > 0; k--) {
        BigDecimal unit = base.pow(k);
        if (abs.compareTo(unit) >= 0 && isInteger(abs.divide(unit))) {
          return sign + abs.divide(unit).toBigIntegerExact() + suffixes[k];
        }
      }
      return sign + abs.toBigIntegerExact();
    }
    // fractions print in milli, micro or nano units, rounding up past nano as upstream does
    String[] small = {"m", "u", "n"};
    for (int k = 1; k <= 3; k++) {
      BigDecimal scaled = abs.movePointRight(3 * k);
      if (isInteger(scaled) || k == 3) {
        BigInteger mantissa = scaled.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        return sign + mantissa + small[k - 1];
      }
    }
    throw new AssertionError("unreachable");
  }

  private static boolean isInteger(BigDecimal d) {
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }
}
