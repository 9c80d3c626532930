package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumeClaims ({@code pkg/registry/core/persistentvolumeclaim}): Filesystem mode and
 * phase Pending on create; at least one access mode and a storage request; once bound, only the
 * requests and the attributes class may change.
 */
public final class PersistentVolumeClaimStrategy extends SpecStatusStrategy {
  public PersistentVolumeClaimStrategy() {
    super(new ResourceDefinition("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim",
        true, ResourceDefinition.ALL_VERBS, List.of("pvc"), List.of(), List.of(Subresource.status("PersistentVolumeClaim"))));
  }

  @Override
  protected boolean countsGeneration() {
    return false;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    super.prepareForCreate(obj);
    obj.putObject("status").put("phase", "Pending");
  }

  @Override
  protected void defaults(ObjectNode obj) {
    Json.putIfBlank(Json.objectAt(obj, "spec"), "volumeMode", "Filesystem");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>(PersistentVolumeStrategy.accessModes(spec, "spec"));
    if (spec.path("resources").path("requests").path("storage").isMissingNode()) {
      errors.add(FieldError.required("spec.resources[storage]", ""));
    }
    String mode = spec.path("volumeMode").asString("");
    if (!mode.equals("Filesystem") && !mode.equals("Block")) {
      errors.add(FieldError.notSupported("spec.volumeMode", mode, List.of("Block", "Filesystem")));
    }
    return errors;
  }

  @Override
  protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
    ObjectNode now = (ObjectNode) obj.path("spec").deepCopy();
    ObjectNode was = (ObjectNode) old.path("spec").deepCopy();
    for (ObjectNode s : List.of(now, was)) {
      s.remove(List.of("resources", "volumeAttributesClassName"));
    }
    // The binder fills in volumeName once; after that the spec is fixed.
    if (!was.has("volumeName")) {
      now.remove("volumeName");
    }
    if (!now.equals(was)) {
      return List.of(FieldError.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
    }
    return List.of();
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
        TableColumn.of("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        TableColumn.of("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
        TableColumn.of("Access Modes", "string", "accessModes contains the desired access modes the volume should have. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
        TableColumn.of("StorageClass", "string", "storageClassName is the name of the StorageClass required by the claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#class-1"),
        TableColumn.of("VolumeAttributesClass", "string", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
        TableColumn.ageColumn(), PersistentVolumeStrategy.volumeModeColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode status = obj.path("status");
    boolean bound = !spec.path("volumeName").asString("").isEmpty();
    String phase = ObjectMeta.isTerminating(obj) ? "Terminating" : status.path("phase").asString("");
    return List.of(ObjectMeta.name(obj), phase, spec.path("volumeName").asString(""),
        bound ? status.path("capacity").path("storage").asString("") : "",
        bound ? PersistentVolumeStrategy.accessModeText(status) : "",
        spec.path("storageClassName").asString(""), spec.path("volumeAttributesClassName").asString("<unset>"),
        ResourceStrategy.age(obj, now), spec.path("volumeMode").asString("<unset>"));
  }
}
