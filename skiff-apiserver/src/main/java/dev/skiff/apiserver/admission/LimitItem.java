package dev.skiff.apiserver.admission;

import dev.skiff.quota.Amount;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One item of a LimitRange's {@code spec.limits}, with upstream's defaulting of the item itself
 * (a max becomes the default limit, a default limit the default request, a min the default request)
 * and its constraint checks with upstream's messages.
 */
record LimitItem(Map<String, Amount> min, Map<String, Amount> max, Map<String, Amount> defaultLimit,
    Map<String, Amount> defaultRequest, Map<String, Amount> maxRatio) {

  static LimitItem of(JsonNode item) {
    Map<String, Amount> min = LimitRangeAdmission.list(item.path("min"));
    Map<String, Amount> max = LimitRangeAdmission.list(item.path("max"));
    Map<String, Amount> def = new LinkedHashMap<>(LimitRangeAdmission.list(item.path("default")));
    Map<String, Amount> defReq = new LinkedHashMap<>(LimitRangeAdmission.list(item.path("defaultRequest")));
    if ("Container".equals(item.path("type").asString(""))) {
      max.forEach(def::putIfAbsent);
      def.forEach(defReq::putIfAbsent);
      min.forEach(defReq::putIfAbsent);
    }
    return new LimitItem(min, max, def, defReq, LimitRangeAdmission.list(item.path("maxLimitRequestRatio")));
  }

  /** Every violation of this item by the requests and limits of one container or pod. */
  List<String> check(String type, Map<String, Amount> requests, Map<String, Amount> limits) {
    List<String> errors = new ArrayList<>();
    min.forEach((r, enforced) -> {
      Amount req = requests.get(r);
      Amount lim = limits.get(r);
      if (req == null) {
        errors.add("minimum %s usage per %s is %s.  No request is specified".formatted(r, type, enforced));
      } else if (req.compareTo(enforced) < 0) {
        errors.add("minimum %s usage per %s is %s, but request is %s".formatted(r, type, enforced, req));
      } else if (lim != null && lim.compareTo(enforced) < 0) {
        errors.add("minimum %s usage per %s is %s, but limit is %s".formatted(r, type, enforced, lim));
      }
    });
    max.forEach((r, enforced) -> {
      Amount req = requests.get(r);
      Amount lim = limits.get(r);
      if (lim == null) {
        errors.add("maximum %s usage per %s is %s.  No limit is specified".formatted(r, type, enforced));
      } else if (lim.compareTo(enforced) > 0) {
        errors.add("maximum %s usage per %s is %s, but limit is %s".formatted(r, type, enforced, lim));
      } else if (req != null && req.compareTo(enforced) > 0) {
        errors.add("maximum %s usage per %s is %s, but request is %s".formatted(r, type, enforced, req));
      }
    });
    maxRatio.forEach((r, enforced) -> {
      Amount req = requests.get(r);
      Amount lim = limits.get(r);
      if (req == null || req.isZero()) {
        errors.add("%s max limit to request ratio per %s is %s, but no request is specified or request is 0"
            .formatted(r, type, enforced));
      } else if (lim == null || lim.isZero()) {
        errors.add("%s max limit to request ratio per %s is %s, but no limit is specified or limit is 0"
            .formatted(r, type, enforced));
      } else {
        BigDecimal ratio = lim.value().divide(req.value(), MathContext.DECIMAL64);
        if (ratio.compareTo(enforced.value()) > 0) {
          errors.add("%s max limit to request ratio per %s is %s, but provided ratio is %f"
              .formatted(r, type, enforced, ratio.doubleValue()));
        }
      }
    });
    return errors;
  }

  /** A claim's storage request against min and max (upstream's minConstraint and maxRequestConstraint). */
  List<String> checkClaim(Map<String, Amount> requests) {
    List<String> errors = new ArrayList<>(check("PersistentVolumeClaim", requests, Map.of()).stream()
        .filter(e -> e.startsWith("minimum")).toList());
    max.forEach((r, enforced) -> {
      Amount req = requests.get(r);
      if (req == null) {
        errors.add("maximum %s usage per PersistentVolumeClaim is %s.  No request is specified".formatted(r, enforced));
      } else if (req.compareTo(enforced) > 0) {
        errors.add("maximum %s usage per PersistentVolumeClaim is %s, but request is %s".formatted(r, enforced, req));
      }
    });
    return errors;
  }
}
