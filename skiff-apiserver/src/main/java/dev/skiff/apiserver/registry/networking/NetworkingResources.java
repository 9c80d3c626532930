package dev.skiff.apiserver.registry.networking;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The networking.k8s.io/v1 resources, in discovery order: IngressClasses, Ingresses and NetworkPolicies. */
public final class NetworkingResources {
  private NetworkingResources() {}

  public static List<ResourceStrategy> strategies() {
    return List.of(new IngressClassStrategy(), new IngressStrategy(), new NetworkPolicyStrategy());
  }

  /** IngressClasses: a controller name that is a domain-prefixed path and never changes. */
  static final class IngressClassStrategy extends SpecStatusStrategy {
    IngressClassStrategy() {
      super(new ResourceDefinition("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass",
          false, ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of()));
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
      String controller = obj.path("spec").path("controller").asString("");
      if (controller.isEmpty()) {
        return List.of(FieldError.required("spec.controller", ""));
      }
      if (!controller.contains("/")) {
        return List.of(FieldError.invalid("spec.controller", controller, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
      }
      return List.of();
    }

    @Override
    protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
      JsonNode c = obj.path("spec").path("controller");
      return c.equals(old.path("spec").path("controller")) ? List.of()
          : List.of(FieldError.invalid("spec.controller", c.asString(""), "field is immutable"));
    }

    @Override
    public List<TableColumn> columns() {
      return List.of(TableColumn.nameColumn(),
          TableColumn.of("Controller", "string", "Controller that is responsible for handling this class"),
          TableColumn.of("Parameters", "string", "A reference to a resource with additional parameters"),
          TableColumn.ageColumn());
    }

    @Override
    public List<Object> cells(JsonNode obj, Instant now) {
      JsonNode p = obj.path("spec").path("parameters");
      String params = "<none>";
      if (p.has("kind")) {
        String group = p.path("apiGroup").asString("");
        params = p.path("kind").asString("") + (group.isEmpty() ? "" : "." + group) + "/" + p.path("name").asString("");
      }
      return List.of(ObjectMeta.name(obj), obj.path("spec").path("controller").asString(""), params,
          ResourceStrategy.age(obj, now));
    }
  }

  /** NetworkPolicies: policyTypes default to Ingress, plus Egress when egress rules are given. */
  static final class NetworkPolicyStrategy extends SpecStatusStrategy {
    private static final List<String> TYPES = List.of("Ingress", "Egress");

    NetworkPolicyStrategy() {
      super(new ResourceDefinition("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy",
          true, ResourceDefinition.ALL_VERBS, List.of("netpol"), List.of(), List.of()));
    }

    @Override
    protected boolean countsGeneration() {
      return true;
    }

    @Override
    protected void defaults(ObjectNode obj) {
      ObjectNode spec = Json.objectAt(obj, "spec");
      Json.objectAt(spec, "podSelector");
      if (spec.path("policyTypes").isEmpty()) {
        var types = spec.putArray("policyTypes").add("Ingress");
        if (!spec.path("egress").isEmpty()) {
          types.add("Egress");
        }
      }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
      List<FieldError> errors = new ArrayList<>();
      int i = 0;
      for (JsonNode t : obj.path("spec").path("policyTypes")) {
        if (!TYPES.contains(t.asString(""))) {
          errors.add(FieldError.notSupported("spec.policyTypes[" + i + "]", t.asString(""), TYPES));
        }
        i++;
      }
      return errors;
    }

    @Override
    public List<String> stringMaps() {
      return List.of("spec.podSelector.matchLabels");
    }

    @Override
    public List<TableColumn> columns() {
      return List.of(TableColumn.nameColumn(),
          TableColumn.of("Pod-Selector", "string", "Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."),
          TableColumn.ageColumn());
    }

    @Override
    public List<Object> cells(JsonNode obj, Instant now) {
      String selector;
      try {
        selector = LabelSelector.fromObject(obj.path("spec").path("podSelector")).format();
      } catch (IllegalArgumentException e) {
        selector = "<error>";
      }
      return List.of(ObjectMeta.name(obj), selector, ResourceStrategy.age(obj, now));
    }
  }
}
