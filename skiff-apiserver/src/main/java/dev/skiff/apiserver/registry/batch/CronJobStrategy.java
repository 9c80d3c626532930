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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CronJobs ({@code pkg/registry/batch/cronjob}, batch/v1 defaults): concurrency Allow, not
 * suspended, 3 successful and 1 failed Jobs kept; a required standard cron schedule and a Job
 * template whose pods restart OnFailure or Never.
 */
public final class CronJobStrategy extends SpecStatusStrategy {
  private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");

  public CronJobStrategy() {
    super(new ResourceDefinition("batch", "v1", "CronJob", "cronjobs", "cronjob", true, ResourceDefinition.ALL_VERBS,
        List.of("cj"), List.of("all"), List.of(Subresource.status("CronJob"))));
  }

  @Override
  protected void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    Json.putIfBlank(spec, "concurrencyPolicy", "Allow");
    if (!spec.has("suspend")) {
      spec.put("suspend", false);
    }
    if (!spec.has("successfulJobsHistoryLimit")) {
      spec.put("successfulJobsHistoryLimit", 3);
    }
    if (!spec.has("failedJobsHistoryLimit")) {
      spec.put("failedJobsHistoryLimit", 1);
    }
    ObjectNode jobSpec = Json.objectAt(Json.objectAt(spec, "jobTemplate"), "spec");
    // batch/v1 defaults the template's Job spec as a Job's, except that the selector stays unset.
    JobSpecs.defaults(jobSpec);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>();
    String schedule = spec.path("schedule").asString("");
    if (schedule.isEmpty()) {
      errors.add(FieldError.required("spec.schedule", ""));
    } else {
      CronSchedule.check(schedule).ifPresent(m -> errors.add(FieldError.invalid("spec.schedule", schedule, m)));
    }
    String policy = spec.path("concurrencyPolicy").asString("");
    if (!CONCURRENCY.contains(policy)) {
      errors.add(FieldError.notSupported("spec.concurrencyPolicy", policy, CONCURRENCY));
    }
    for (String f : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
      if (spec.path(f).isNumber() && spec.path(f).asLong() < 0) {
        errors.add(FieldError.invalid("spec." + f, spec.path(f), "must be greater than or equal to 0"));
      }
    }
    errors.addAll(JobSpecs.validate(spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec"));
    return errors;
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.jobTemplate.spec.template.metadata.labels");
  }

  @Override
  public List<TableColumn> columns() {
    return PodTemplates.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        TableColumn.of("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
        TableColumn.of("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
        TableColumn.of("Active", "integer", "A list of pointers to currently running jobs."),
        TableColumn.of("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
        TableColumn.ageColumn()), "A label query over pods that should match the pod count.");
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode status = obj.path("status");
    String last = status.path("lastScheduleTime").asString("");
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj), spec.path("schedule").asString(""),
        spec.path("timeZone").asString("<none>"), spec.path("suspend").asBoolean(false) ? "True" : "False",
        status.path("active").size(),
        last.isEmpty() ? "<none>" : HumanDuration.format(Duration.between(ObjectMeta.parseTime(last), now)),
        ResourceStrategy.age(obj, now)));
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    cells.addAll(PodTemplates.wideCells(jobSpec.path("template"), jobSpec.path("selector")));
    return cells;
  }
}
