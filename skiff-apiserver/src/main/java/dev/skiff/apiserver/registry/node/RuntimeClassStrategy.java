package dev.skiff.apiserver.registry.node;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.MetadataValidation;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** RuntimeClasses ({@code pkg/registry/node/runtimeclass}): a handler that is a DNS label and never changes. */
public final class RuntimeClassStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("node.k8s.io", "v1", "RuntimeClass",
      "runtimeclasses", "runtimeclass", false, ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of());

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    String handler = obj.path("handler").asString("");
    if (handler.isEmpty()) {
      return List.of(FieldError.required("handler", ""));
    }
    List<FieldError> errors = new ArrayList<>();
    MetadataValidation.dns1123Label(handler).forEach(m -> errors.add(FieldError.invalid("handler", handler, m)));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    if (!obj.path("handler").equals(old.path("handler"))) {
      errors.add(FieldError.invalid("handler", obj.path("handler").asString(""), "field is immutable"));
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Handler", "string", "Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class. The possible values are specific to the node & CRI configuration.  It is assumed that all handlers are available on every node, and handlers of the same name are equivalent on every node. For example, a handler called \"runc\" might specify that the runc (or runsc, libcontainer, etc.) CRI runtime will be used to run the containers in a pod. The Handler must be lowercase, conform to the DNS Label (RFC 1123) requirements, and is immutable."),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), obj.path("handler").asString(""), ResourceStrategy.age(obj, now));
  }
}
