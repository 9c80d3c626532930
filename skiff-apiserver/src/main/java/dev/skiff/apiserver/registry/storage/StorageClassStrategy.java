package dev.skiff.apiserver.registry.storage;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * StorageClasses ({@code pkg/registry/storage/storageclass}, storage/v1 defaults): reclaimPolicy
 * Delete and volumeBindingMode Immediate; a required provisioner; provisioner, parameters,
 * reclaimPolicy and volumeBindingMode never change.
 */
public final class StorageClassStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("storage.k8s.io", "v1", "StorageClass",
      "storageclasses", "storageclass", false, ResourceDefinition.ALL_VERBS, List.of("sc"), List.of(), List.of());
  private static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    Json.putIfBlank(obj, "reclaimPolicy", "Delete");
    Json.putIfBlank(obj, "volumeBindingMode", "Immediate");
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    prepareForCreate(obj);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    if (obj.path("provisioner").asString("").isEmpty()) {
      errors.add(FieldError.required("provisioner", ""));
    }
    String reclaim = obj.path("reclaimPolicy").asString("");
    if (!reclaim.equals("Delete") && !reclaim.equals("Retain")) {
      errors.add(FieldError.notSupported("reclaimPolicy", reclaim, List.of("Delete", "Retain")));
    }
    String mode = obj.path("volumeBindingMode").asString("");
    if (!mode.equals("Immediate") && !mode.equals("WaitForFirstConsumer")) {
      errors.add(FieldError.notSupported("volumeBindingMode", mode, List.of("Immediate", "WaitForFirstConsumer")));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    for (String f : List.of("parameters", "provisioner", "reclaimPolicy", "volumeBindingMode")) {
      if (!obj.path(f).equals(old.path(f))) {
        errors.add(f.equals("parameters") || f.equals("provisioner")
            ? FieldError.forbidden(f, "updates to " + f + " are forbidden.")
            : FieldError.invalid(f, obj.path(f).deepCopy(), "field is immutable"));
      }
    }
    return errors;
  }

  @Override
  public List<String> stringMaps() {
    return List.of("parameters");
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Provisioner", "string", "Provisioner indicates the type of the provisioner."),
        TableColumn.of("ReclaimPolicy", "string", "Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy. Defaults to Delete."),
        TableColumn.of("VolumeBindingMode", "string", "VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."),
        TableColumn.of("AllowVolumeExpansion", "string", "AllowVolumeExpansion shows whether the storage class allow volume expand."),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    String name = ObjectMeta.name(obj);
    JsonNode annotations = obj.path("metadata").path("annotations");
    if (annotations.path(DEFAULT_ANNOTATION).asString("").equals("true")
        || annotations.path("storageclass.beta.kubernetes.io/is-default-class").asString("").equals("true")) {
      name += " (default)";
    }
    return List.of(name, obj.path("provisioner").asString(""), obj.path("reclaimPolicy").asString("Delete"),
        obj.path("volumeBindingMode").asString("Immediate"),
        String.valueOf(obj.path("allowVolumeExpansion").asBoolean(false)), ResourceStrategy.age(obj, now));
  }
}
