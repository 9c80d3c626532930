package dev.skiff.apiserver.registry.coordination;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Leases ({@code coordination.k8s.io/v1}): what leader election and node heartbeats write. Upstream
 * validates only that durations and transitions are not negative.
 */
public final class LeaseStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("coordination.k8s.io", "v1", "Lease",
      "leases", "lease", true, ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of());

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    for (String f : List.of("leaseDurationSeconds", "leaseTransitions")) {
      JsonNode v = obj.path("spec").path(f);
      if (v.isNumber() && v.asLong() < 0) {
        errors.add(FieldError.invalid("spec." + f, v, "must be greater than or equal to 0"));
      } else if (!v.isMissingNode() && !v.isNull() && !v.isNumber()) {
        errors.add(FieldError.invalid("spec." + f, v, "must be an integer"));
      }
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Holder", "string", "The holder of the lease."), TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), obj.path("spec").path("holderIdentity").asString(""),
        ResourceStrategy.age(obj, now));
  }
}
