package dev.skiff.apiserver.registry.policy;

import dev.skiff.apiserver.api.FieldError;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Upstream's checks of an IntOrString that is a count or a percentage ({@code ValidatePositiveIntOrPercent} and {@code IsNotMoreThan100Percent}). */
final class IntOrPercent {
  private IntOrPercent() {}

  static List<FieldError> validate(JsonNode v, String path) {
    if (v.isMissingNode() || v.isNull()) {
      return List.of();
    }
    if (v.isIntegralNumber()) {
      return v.asLong() < 0 ? List.of(FieldError.invalid(path, v, "must be greater than or equal to 0")) : List.of();
    }
    String s = v.asString("");
    if (!s.matches("[0-9]+%")) {
      return List.of(FieldError.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    }
    if (Long.parseLong(s.substring(0, s.length() - 1)) > 100) {
      return List.of(FieldError.invalid(path, s, "must not be greater than 100%"));
    }
    return List.of();
  }
}
