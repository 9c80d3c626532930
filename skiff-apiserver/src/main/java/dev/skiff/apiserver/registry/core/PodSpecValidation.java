package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.registry.MetadataValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Upstream's {@code ValidatePodSpec}, the parts Skiff checks: containers, names, images, ports, policies. */
public final class PodSpecValidation {
  private PodSpecValidation() {}

  /** @param path the spec's field path ({@code spec} or {@code spec.template.spec}) */
  public static List<FieldError> validate(JsonNode spec, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (spec.path("containers").isEmpty()) {
      errors.add(FieldError.required(path + ".containers", ""));
    }
    Set<String> names = new HashSet<>();
    for (String list : List.of("initContainers", "containers")) {
      int i = 0;
      for (JsonNode c : spec.path(list)) {
        String at = path + "." + list + "[" + i++ + "]";
        String name = c.path("name").asString("");
        if (name.isEmpty()) {
          errors.add(FieldError.required(at + ".name", ""));
        } else {
          MetadataValidation.dns1123Label(name).forEach(m -> errors.add(FieldError.invalid(at + ".name", name, m)));
          if (!names.add(name)) {
            errors.add(FieldError.duplicate(at + ".name", name));
          }
        }
        if (c.path("image").asString("").isBlank()) {
          errors.add(FieldError.required(at + ".image", ""));
        }
        int j = 0;
        for (JsonNode p : c.path("ports")) {
          int port = p.path("containerPort").asInt(0);
          if (port < 1 || port > 65535) {
            errors.add(FieldError.invalid(at + ".ports[" + j + "].containerPort", p.path("containerPort"),
                "must be between 1 and 65535, inclusive"));
          }
          j++;
        }
      }
    }
    String restart = spec.path("restartPolicy").asString("");
    if (!List.of("Always", "OnFailure", "Never").contains(restart)) {
      errors.add(FieldError.notSupported(path + ".restartPolicy", restart, List.of("Always", "OnFailure", "Never")));
    }
    String dns = spec.path("dnsPolicy").asString("");
    List<String> dnsPolicies = List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    if (!dnsPolicies.contains(dns)) {
      errors.add(FieldError.notSupported(path + ".dnsPolicy", dns, dnsPolicies));
    }
    return errors;
  }
}
