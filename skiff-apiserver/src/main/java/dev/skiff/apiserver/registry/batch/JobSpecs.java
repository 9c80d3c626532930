package dev.skiff.apiserver.registry.batch;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.MetadataValidation;
import dev.skiff.apiserver.registry.PodTemplates;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Job's spec as Jobs and CronJob templates hold it: batch/v1's {@code SetDefaults_Job} and
 * upstream's {@code validateJobSpec} for the fields Skiff checks.
 */
final class JobSpecs {
  static final List<String> RESTART_POLICIES = List.of("OnFailure", "Never");
  /** The path part of a domain-prefixed path (upstream's IsDomainPrefixedPath). */
  private static final java.util.regex.Pattern DOMAIN_PATH = java.util.regex.Pattern.compile("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");

  /** Upstream's cap on completions (and on maxFailedIndexes) for Jobs with backoffLimitPerIndex. */
  private static final long MAX_PER_INDEX_COMPLETIONS = 100_000;

  private JobSpecs() {}

  static void defaults(ObjectNode spec) {
    if (!spec.has("completions") && !spec.has("parallelism")) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    if (!spec.has("parallelism")) {
      spec.put("parallelism", 1);
    }
    if (!spec.has("backoffLimit")) {
      spec.put("backoffLimit", spec.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    }
    Json.putIfBlank(spec, "completionMode", "NonIndexed");
    if (!spec.has("suspend")) {
      spec.put("suspend", false);
    }
    Json.putIfBlank(spec, "podReplacementPolicy",
        spec.path("template").path("spec").has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    ObjectNode template = Json.objectAt(spec, "template");
    PodTemplates.defaults(template);
  }

  static List<FieldError> validate(JsonNode spec, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String f : List.of("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished")) {
      JsonNode v = spec.path(f);
      if (v.isNumber() && v.asLong() < 0) {
        errors.add(FieldError.invalid(path + "." + f, v, "must be greater than or equal to 0"));
      }
    }
    String mode = spec.path("completionMode").asString("NonIndexed");
    if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
      errors.add(FieldError.notSupported(path + ".completionMode", mode, List.of("NonIndexed", "Indexed")));
    }
    if (mode.equals("Indexed") && !spec.path("completions").isNumber()) {
      errors.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
    }
    errors.addAll(PodTemplates.validate(spec.path("template"), path + ".template", RESTART_POLICIES));
    errors.addAll(validatePerIndexLimits(spec, mode.equals("Indexed"), path));
    if (spec.has("successPolicy") && !spec.path("successPolicy").isNull()) {
      if (!mode.equals("Indexed")) {
        errors.add(FieldError.invalid(path + ".successPolicy", spec.path("successPolicy").deepCopy(),
            "requires indexed completion mode"));
      } else {
        errors.addAll(validateSuccessPolicy(spec.path("successPolicy"), spec.path("completions").asInt(0),
            path + ".successPolicy"));
      }
    }
    if (spec.has("managedBy")) {
      errors.addAll(validateManagedBy(spec.path("managedBy").asString(""), path + ".managedBy"));
    }
    return errors;
  }

  /** Upstream's checks of {@code backoffLimitPerIndex} and {@code maxFailedIndexes}. */
  private static List<FieldError> validatePerIndexLimits(JsonNode spec, boolean indexed, String path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode perIndex = spec.path("backoffLimitPerIndex");
    JsonNode maxFailed = spec.path("maxFailedIndexes");
    for (var f : List.of(java.util.Map.entry("backoffLimitPerIndex", perIndex), java.util.Map.entry("maxFailedIndexes", maxFailed))) {
      if (f.getValue().isNumber() && f.getValue().asLong() < 0) {
        errors.add(FieldError.invalid(path + "." + f.getKey(), f.getValue(), "must be greater than or equal to 0"));
      }
      if (f.getValue().isNumber() && !indexed) {
        errors.add(FieldError.invalid(path + "." + f.getKey(), f.getValue(), "requires indexed completion mode"));
      }
    }
    if (maxFailed.isNumber() && !perIndex.isNumber()) {
      errors.add(FieldError.required(path + ".backoffLimitPerIndex", "when maxFailedIndexes is specified"));
    }
    if (indexed && perIndex.isNumber()) {
      long completions = spec.path("completions").asLong(0);
      if (completions > MAX_PER_INDEX_COMPLETIONS) {
        errors.add(FieldError.invalid(path + ".completions", spec.path("completions"), "must be less than or equal to "
            + MAX_PER_INDEX_COMPLETIONS + " when backoffLimitPerIndex is specified"));
      }
      if (maxFailed.isNumber() && maxFailed.asLong() > completions) {
        errors.add(FieldError.invalid(path + ".maxFailedIndexes", maxFailed, "must be less than or equal to completions"));
      }
    }
    return errors;
  }

  private static List<FieldError> validateSuccessPolicy(JsonNode policy, int completions, String path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode rules = policy.path("rules");
    if (rules.size() == 0) {
      errors.add(FieldError.required(path + ".rules", "at least one rules must be specified when the successPolicy is specified"));
    }
    if (rules.size() > 20) {
      errors.add(new FieldError(FieldError.Type.TOO_MANY, path + ".rules", null, "must have at most 20 items"));
    }
    for (int i = 0; i < rules.size(); i++) {
      String rulePath = path + ".rules[" + i + "]";
      JsonNode rule = rules.get(i);
      JsonNode indexes = rule.path("succeededIndexes");
      JsonNode count = rule.path("succeededCount");
      if (!indexes.isString() && !count.isNumber()) {
        errors.add(FieldError.required(rulePath, "at least one of succeededCount or succeededIndexes must be specified"));
      }
      long total = 0;
      if (indexes.isString()) {
        try {
          total = IndexIntervals.count(indexes.asString(), completions);
        } catch (IllegalArgumentException e) {
          errors.add(FieldError.invalid(rulePath + ".succeededIndexes", indexes.asString(),
              "error parsing succeededIndexes: " + e.getMessage()));
        }
      }
      if (count.isNumber()) {
        long n = count.asLong();
        if (n < 0) {
          errors.add(FieldError.invalid(rulePath + ".succeededCount", count, "must be greater than or equal to 0"));
        }
        if (n > completions) {
          errors.add(FieldError.invalid(rulePath + ".succeededCount", count,
              "must be less than or equal to " + completions + " (the number of specified completions)"));
        }
        if (indexes.isString() && n > total) {
          errors.add(FieldError.invalid(rulePath + ".succeededCount", count, "must be less than or equal to " + total
              + " (the number of indexes in the specified succeededIndexes field)"));
        }
      }
    }
    return errors;
  }

  /** Upstream's rules for {@code managedBy}: at most 63 bytes, a domain-prefixed path such as {@code acme.io/foo}. */
  static List<FieldError> validateManagedBy(String value, String path) {
    if (value.length() > 63) {
      return List.of(new FieldError(FieldError.Type.TOO_LONG, path, null, "may not be more than 63 bytes"));
    }
    int slash = value.indexOf('/');
    boolean ok = slash > 0 && slash < value.length() - 1
        && MetadataValidation.dns1123Subdomain(value.substring(0, slash)).isEmpty()
        && DOMAIN_PATH.matcher(value.substring(slash + 1)).matches();
    return ok ? List.of() : List.of(FieldError.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
  }
}
