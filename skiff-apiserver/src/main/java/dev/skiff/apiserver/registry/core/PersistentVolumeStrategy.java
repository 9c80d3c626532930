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
 * PersistentVolumes ({@code pkg/registry/core/persistentvolume}, v1 defaults): reclaim policy
 * Retain, Filesystem mode, phase Pending on create; a capacity with storage, at least one access
 * mode and exactly one volume source.
 */
public final class PersistentVolumeStrategy extends SpecStatusStrategy {
  static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> NOT_SOURCES = List.of("accessModes", "capacity", "claimRef",
      "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "volumeMode", "nodeAffinity",
      "volumeAttributesClassName");

  public PersistentVolumeStrategy() {
    super(new ResourceDefinition("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false,
        ResourceDefinition.ALL_VERBS, List.of("pv"), List.of(), List.of(Subresource.status("PersistentVolume"))));
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
    ObjectNode spec = Json.objectAt(obj, "spec");
    Json.putIfBlank(spec, "persistentVolumeReclaimPolicy", "Retain");
    Json.putIfBlank(spec, "volumeMode", "Filesystem");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>(accessModes(spec, "spec"));
    if (spec.path("capacity").path("storage").isMissingNode()) {
      errors.add(FieldError.required("spec.capacity", "must specify storage"));
    }
    int sources = 0;
    for (var e : spec.properties()) {
      if (!NOT_SOURCES.contains(e.getKey())) {
        sources++;
      }
    }
    if (sources == 0) {
      errors.add(FieldError.required("spec", "must specify a volume type"));
    } else if (sources > 1) {
      errors.add(FieldError.forbidden("spec", "may not specify more than 1 volume type"));
    }
    String reclaim = spec.path("persistentVolumeReclaimPolicy").asString("");
    List<String> policies = List.of("Delete", "Recycle", "Retain");
    if (!policies.contains(reclaim)) {
      errors.add(FieldError.notSupported("spec.persistentVolumeReclaimPolicy", reclaim, policies));
    }
    return errors;
  }

  static List<FieldError> accessModes(JsonNode spec, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (spec.path("accessModes").isEmpty()) {
      errors.add(FieldError.required(path + ".accessModes", "at least 1 access mode is required"));
    }
    for (JsonNode m : spec.path("accessModes")) {
      if (!ACCESS_MODES.contains(m.asString(""))) {
        errors.add(FieldError.notSupported(path + ".accessModes", m.asString(""), ACCESS_MODES));
      }
    }
    return errors;
  }

  /** "RWO,ROX" as upstream's GetAccessModesAsString. */
  static String accessModeText(JsonNode spec) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : spec.path("accessModes")) {
      String s = switch (m.asString("")) {
        case "ReadWriteOnce" -> "RWO";
        case "ReadOnlyMany" -> "ROX";
        case "ReadWriteMany" -> "RWX";
        case "ReadWriteOncePod" -> "RWOP";
        default -> "";
      };
      if (!s.isEmpty() && !out.contains(s)) {
        out.add(s);
      }
    }
    return String.join(",", out);
  }

  static TableColumn volumeModeColumn() {
    return TableColumn.wide("VolumeMode", "string", "The volume mode of the persistent volume");
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
        TableColumn.of("Access Modes", "string", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
        TableColumn.of("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
        TableColumn.of("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
        TableColumn.of("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
        TableColumn.of("StorageClass", "string", "storageClassName is the name of StorageClass to which this persistent volume belongs. Empty value means that this volume does not belong to any StorageClass."),
        TableColumn.of("VolumeAttributesClass", "string", "Name of VolumeAttributesClass to which this persistent volume belongs. Empty value is not allowed. When this field is not set, it indicates that this volume does not belong to any VolumeAttributesClass. This field is mutable and can be changed by the CSI driver after a volume has been updated successfully to a new class. For an unbound PersistentVolume, the volumeAttributesClassName will be matched with unbound PersistentVolumeClaims during the binding process. This is a beta field and requires enabling VolumeAttributesClass feature (off by default)."),
        TableColumn.of("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        TableColumn.ageColumn(), volumeModeColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode claim = spec.path("claimRef");
    String claimText = claim.has("name") ? claim.path("namespace").asString("") + "/" + claim.path("name").asString("") : "";
    return List.of(ObjectMeta.name(obj), spec.path("capacity").path("storage").asString(""), accessModeText(spec),
        spec.path("persistentVolumeReclaimPolicy").asString(""), obj.path("status").path("phase").asString(""),
        claimText, spec.path("storageClassName").asString(""), spec.path("volumeAttributesClassName").asString("<unset>"),
        obj.path("status").path("reason").asString(""), ResourceStrategy.age(obj, now),
        spec.path("volumeMode").asString("<unset>"));
  }
}
