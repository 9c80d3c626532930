package dev.skiff.apiserver.registry.autoscaling;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.conversion.ConvertedVersion;
import dev.skiff.apiserver.conversion.VersionConversion;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscalers at autoscaling/v1, stored at autoscaling/v2 as upstream stores them: the
 * generic store converts every object through {@link HorizontalPodAutoscalerV1Conversion}, and
 * every hook (defaults, update rules, validation, Table rows) is the v2 strategy's, run on the
 * object converted to v2, so both versions behave as one resource. Stateless.
 */
public final class HorizontalPodAutoscalerV1Strategy implements ResourceStrategy, ConvertedVersion {
  private static final HorizontalPodAutoscalerV1Conversion CONVERSION = new HorizontalPodAutoscalerV1Conversion();
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("autoscaling", "v1",
      "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true,
      ResourceDefinition.ALL_VERBS, List.of("hpa"), List.of("all"), List.of(Subresource.status("HorizontalPodAutoscaler")));

  private final HorizontalPodAutoscalerStrategy v2 = new HorizontalPodAutoscalerStrategy();

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public VersionConversion conversion() {
    return CONVERSION;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    ObjectNode converted = toV2(obj);
    v2.prepareForCreate(converted);
    replace(obj, converted);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    ObjectNode converted = toV2(obj);
    v2.prepareForUpdate(converted, toV2(old));
    replace(obj, converted);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return v2.validate(toV2(obj));
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return v2.validateUpdate(toV2(obj), toV2(old));
  }

  @Override
  public List<TableColumn> columns() {
    return v2.columns();
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return v2.cells(obj instanceof ObjectNode o ? toV2(o) : obj, now);
  }

  private static ObjectNode toV2(ObjectNode v1) {
    return CONVERSION.toStorage(v1.deepCopy());
  }

  /** Makes {@code obj} the v1 form of {@code converted}, in place: the store holds on to {@code obj}. */
  private static void replace(ObjectNode obj, ObjectNode converted) {
    ObjectNode v1 = CONVERSION.fromStorage(converted);
    obj.removeAll();
    obj.setAll(v1);
  }
}
