package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's generic {@code ValidateObjectMeta} and name rules: the checks every resource's
 * metadata must pass, whatever its strategy adds.
 */
public final class MetadataValidation {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

  private MetadataValidation() {}

  /** Errors of a DNS-1123 subdomain (empty list when valid). */
  public static List<String> dns1123Subdomain(String value) {
    List<String> out = new ArrayList<>();
    if (value.length() > 253) {
      out.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      out.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used"
          + " for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
    return out;
  }

  /** Errors of a DNS-1123 label (empty list when valid). */
  public static List<String> dns1123Label(String value) {
    List<String> out = new ArrayList<>();
    if (value.length() > 63) {
      out.add("must be no more than 63 characters");
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      out.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex"
          + " used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }
    return out;
  }

  /** Errors of a qualified name such as a label or annotation key. */
  public static List<String> qualifiedName(String value) {
    List<String> out = new ArrayList<>();
    String name = value;
    int slash = value.indexOf('/');
    if (slash >= 0) {
      String prefix = value.substring(0, slash);
      name = value.substring(slash + 1);
      if (prefix.isEmpty()) {
        out.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(prefix).forEach(m -> out.add("prefix part " + m));
      }
    }
    if (name.isEmpty()) {
      out.add("name part must be non-empty");
    } else {
      if (name.length() > 63) {
        out.add("name part must be no more than 63 characters");
      }
      if (!QUALIFIED_NAME.matcher(name).matches()) {
        out.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and"
            + " end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex"
            + " used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
      }
    }
    return out;
  }

  /**
   * Every error in {@code metadata}: name (label or subdomain), namespace presence, labels and
   * annotations.
   */
  public static List<FieldError> validate(JsonNode obj, boolean namespaced, boolean nameIsLabel) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode meta = obj.path("metadata");
    String name = Json.text(meta, "name").orElse("");
    if (name.isEmpty()) {
      errors.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      for (String m : nameIsLabel ? dns1123Label(name) : dns1123Subdomain(name)) {
        errors.add(FieldError.invalid("metadata.name", name, m));
      }
    }
    String ns = Json.text(meta, "namespace").orElse("");
    if (namespaced && ns.isEmpty()) {
      errors.add(FieldError.required("metadata.namespace", ""));
    } else if (!namespaced && !ns.isEmpty()) {
      errors.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
    }
    JsonNode labels = meta.path("labels");
    if (labels.isObject()) {
      for (Map.Entry<String, JsonNode> e : labels.properties()) {
        for (String m : qualifiedName(e.getKey())) {
          errors.add(FieldError.invalid("metadata.labels", e.getKey(), m));
        }
        String v = e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString();
        if (v.length() > 63) {
          errors.add(FieldError.invalid("metadata.labels", v, "must be no more than 63 characters"));
        }
        if (!LABEL_VALUE.matcher(v).matches()) {
          errors.add(FieldError.invalid("metadata.labels", v,
              "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
                  + " '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or"
                  + " 'my_value',  or '12345', regex used for validation is"
                  + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
        }
      }
    }
    JsonNode annotations = meta.path("annotations");
    if (annotations.isObject()) {
      long total = 0;
      for (Map.Entry<String, JsonNode> e : annotations.properties()) {
        for (String m : qualifiedName(e.getKey())) {
          errors.add(FieldError.invalid("metadata.annotations", e.getKey(), m));
        }
        total += e.getKey().length() + (e.getValue().isString()
            ? e.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length : 0);
      }
      if (total > TOTAL_ANNOTATION_BYTES) {
        errors.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", null,
            "must have at most " + TOTAL_ANNOTATION_BYTES + " bytes"));
      }
    }
    return errors;
  }
}
