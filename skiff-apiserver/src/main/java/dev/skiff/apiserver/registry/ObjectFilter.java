package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldSelector;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Label and field selectors bound to one resource's strategy, as upstream's
 * {@code storage.SelectionPredicate}. Rejects fields the resource does not offer.
 */
public record ObjectFilter(LabelSelector labels, FieldSelector fields, ResourceStrategy strategy) {

  /** @throws StatusError 400 when the field selector names a field the resource does not offer */
  public static ObjectFilter of(ListOptions options, ResourceStrategy strategy) {
    for (FieldSelector.Term t : options.fieldSelector().terms()) {
      if (!t.field().equals("metadata.name") && !t.field().equals("metadata.namespace")
          && !strategy.selectableFields().contains(t.field())) {
        throw StatusError.badRequest("field label not supported: " + t.field());
      }
    }
    return new ObjectFilter(options.labelSelector(), options.fieldSelector(), strategy);
  }

  public boolean matchesEverything() {
    return labels.isEmpty() && fields.isEmpty();
  }

  public boolean matches(JsonNode obj) {
    return labels.matches(ObjectMeta.labels(obj)) && fields.matches(f -> field(obj, f));
  }

  private Optional<String> field(JsonNode obj, String f) {
    return switch (f) {
      case "metadata.name" -> Optional.of(ObjectMeta.name(obj));
      case "metadata.namespace" -> Optional.of(ObjectMeta.namespace(obj));
      default -> strategy.fieldValue(obj, f);
    };
  }
}
