package dev.skiff.apiserver.registry.batch;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.HumanDuration;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.PodTemplates;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jobs ({@code pkg/registry/batch/job}): unless {@code spec.manualSelector}, the server generates
 * the selector from the Job's uid and labels the template with it; the template, selector and
 * completion mode never change; {@code status.successful} is selectable.
 */
public final class JobStrategy extends SpecStatusStrategy {
  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";

  public JobStrategy() {
    super(new ResourceDefinition("batch", "v1", "Job", "jobs", "job", true, ResourceDefinition.ALL_VERBS,
        List.of(), List.of("all"), List.of(Subresource.status("Job"))));
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    super.prepareForCreate(obj);
    ObjectNode spec = Json.objectAt(obj, "spec");
    if (!spec.path("manualSelector").asBoolean(false)) {
      String uid = ObjectMeta.uid(obj);
      String name = ObjectMeta.name(obj);
      ObjectNode labels = Json.objectAt(Json.objectAt(Json.objectAt(spec, "template"), "metadata"), "labels");
      labels.put(CONTROLLER_UID, uid).put(JOB_NAME, name).put("controller-uid", uid).put("job-name", name);
      ObjectNode selector = spec.putObject("selector");
      selector.putObject("matchLabels").put(CONTROLLER_UID, uid);
    }
  }

  @Override
  protected void defaults(ObjectNode obj) {
    JobSpecs.defaults(Json.objectAt(obj, "spec"));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>(JobSpecs.validate(spec, "spec"));
    errors.addAll(PodTemplates.validateSelector(spec.path("selector"), spec.path("template"), "spec.selector", "spec.template"));
    return errors;
  }

  @Override
  protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    for (String f : List.of("selector", "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
        "successPolicy")) {
      if (!obj.path("spec").path(f).equals(old.path("spec").path(f))) {
        errors.add(FieldError.invalid("spec." + f, obj.path("spec").path(f).deepCopy(), "field is immutable"));
      }
    }
    // Upstream lets a suspended Job's scheduling directives change; Skiff keeps the whole template.
    if (!obj.path("spec").path("template").equals(old.path("spec").path("template"))) {
      errors.add(FieldError.invalid("spec.template", obj.path("spec").path("template").deepCopy(), "field is immutable"));
    }
    return errors;
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector.matchLabels", "spec.template.metadata.labels");
  }

  @Override
  public Set<String> selectableFields() {
    return Set.of("status.successful");
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    return field.equals("status.successful")
        ? Optional.of(String.valueOf(obj.path("status").path("succeeded").asInt(0))) : Optional.empty();
  }

  @Override
  public List<TableColumn> columns() {
    return PodTemplates.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Status", "string", "Status of the job."),
        TableColumn.of("Completions", "string", "The desired number of successfully finished pods the job should be run with."),
        TableColumn.of("Duration", "string", "Time required to complete the job."),
        TableColumn.ageColumn()), "A label query over pods that should match the pod count.");
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode status = obj.path("status");
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj), status(obj), completions(spec, status),
        duration(status, now), ResourceStrategy.age(obj, now)));
    cells.addAll(PodTemplates.wideCells(spec.path("template"), spec.path("selector")));
    return cells;
  }

  /** As upstream's printJob: the first true terminal condition, else Suspended, Terminating or Running. */
  private static String status(JsonNode job) {
    for (String type : List.of("Complete", "Failed", "FailureTarget", "SuccessCriteriaMet", "Suspended")) {
      for (JsonNode c : job.path("status").path("conditions")) {
        if (c.path("type").asString("").equals(type) && c.path("status").asString("").equals("True")) {
          return type;
        }
      }
    }
    return ObjectMeta.isTerminating(job) ? "Terminating" : "Running";
  }

  private static String completions(JsonNode spec, JsonNode status) {
    int succeeded = status.path("succeeded").asInt(0);
    if (spec.path("completions").isNumber()) {
      return succeeded + "/" + spec.path("completions").asInt();
    }
    int parallelism = spec.path("parallelism").asInt(0);
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  private static String duration(JsonNode status, Instant now) {
    String start = status.path("startTime").asString("");
    if (start.isEmpty()) {
      return "";
    }
    String end = status.path("completionTime").asString("");
    Instant until = end.isEmpty() ? now : ObjectMeta.parseTime(end);
    return HumanDuration.format(Duration.between(ObjectMeta.parseTime(start), until));
  }
}
