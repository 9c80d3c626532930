package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The key rules of ConfigMap and Secret data ({@code IsConfigMapKey}): at most 253 characters of
 * {@code [-._a-zA-Z0-9]}, and not "." or "..".
 */
final class DataKeys {
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  /** Upstream's limit on the total size of a ConfigMap's or Secret's data. */
  static final int MAX_TOTAL_BYTES = 1024 * 1024;

  private DataKeys() {}

  static List<FieldError> validate(String field, String key) {
    List<FieldError> out = new ArrayList<>();
    if (key.length() > 253) {
      out.add(FieldError.invalid(field, key, "must be no more than 253 characters"));
    }
    if (!CONFIG_KEY.matcher(key).matches()) {
      out.add(FieldError.invalid(field, key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', "
              + " or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
    if (key.equals(".")) {
      out.add(FieldError.invalid(field, key, "must not be '.'"));
    } else if (key.equals("..")) {
      out.add(FieldError.invalid(field, key, "must not be '..'"));
    } else if (key.startsWith("..")) {
      out.add(FieldError.invalid(field, key, "must not start with '..'"));
    }
    return out;
  }

}
