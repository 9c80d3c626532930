package dev.skiff.apiserver.registry.apiextensions;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The JSONPath subset that additionalPrinterColumns use: dotted fields with optional array
 * indexes ({@code .spec.replicas}, {@code .status.conditions[0].type}), with or without the
 * surrounding {@code {}}. Upstream accepts full JSONPath; filters and wildcards are not supported.
 *
 * @param steps field names and indexes, in order
 */
record SimpleJsonPath(List<Object> steps) {
  SimpleJsonPath {
    steps = List.copyOf(steps);
  }

  /** @throws IllegalArgumentException for a path outside the supported subset */
  static SimpleJsonPath parse(String path) {
    String p = path.strip();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (!p.startsWith(".")) {
      throw new IllegalArgumentException("must be a simple json path starting with .");
    }
    List<Object> steps = new ArrayList<>();
    for (String part : p.substring(1).split("\\.")) {
      String name = part;
      List<Integer> indexes = new ArrayList<>();
      while (name.endsWith("]") && name.contains("[")) {
        String idx = name.substring(name.lastIndexOf('[') + 1, name.length() - 1);
        indexes.addFirst(Integer.parseInt(idx));
        name = name.substring(0, name.lastIndexOf('['));
      }
      if (!name.isEmpty()) {
        steps.add(name);
      }
      steps.addAll(indexes);
    }
    return new SimpleJsonPath(steps);
  }

  /** The value at the path, or a missing node. */
  JsonNode find(JsonNode obj) {
    JsonNode n = obj;
    for (Object s : steps) {
      n = s instanceof Integer i ? n.path(i) : n.path((String) s);
      if (n.isMissingNode()) {
        return MissingNode.getInstance();
      }
    }
    return n;
  }
}
