package dev.skiff.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.job.JobConditions;
import dev.skiff.controllers.testing.MutableClock;
import dev.skiff.controllers.testing.StandaloneController;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CronJob controller with a clock the test moves, against an in-process ApiServer. No Job
 * controller runs: the test finishes Jobs by writing their status. Each test uses its own CronJob
 * and moves the shared clock forward only, one schedule minute at a time, then "ticks" the
 * CronJob (an annotation change) so that the controller syncs it at the new time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CronJobControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static MutableClock clock;
  static StandaloneController<CronJobController> controller;
  static final String NS = "cron";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of());
    cluster.createNamespace(NS);
    clock = new MutableClock();
    controller = new StandaloneController<>(cluster.client, clock, CronJobController::new);
  }

  @AfterAll
  static void stop() {
    if (controller != null) {
      controller.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Each test starts at the real time, so its new CronJobs have nothing due before its first {@link #nextMinute}. */
  @BeforeEach
  void resetClock() {
    clock.set(Instant.now());
  }

  static CronJob cronJob(String name, UnaryOperator<CronJobBuilder> spec) {
    CronJobBuilder b = new CronJobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withSchedule("*/1 * * * *").withNewJobTemplate().withNewMetadata().withLabels(Map.of("cron", name))
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
        .withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec();
    return cluster.client.batch().v1().cronjobs().inNamespace(NS).resource(spec.apply(b).build()).create();
  }

  /** Moves the clock to the next whole minute plus a few seconds and has the controller sync {@code name}. */
  static synchronized Instant nextMinute(String name) {
    Instant next = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)).plusSeconds(5);
    clock.set(next);
    tick(name);
    return next.truncatedTo(ChronoUnit.MINUTES);
  }

  static void tick(String name) {
    cluster.kubectl.run("-n", NS, "annotate", "--overwrite", "cronjob", name, "test/tick=" + System.nanoTime()).assertOk();
  }

  static CronJob get(String name) {
    return cluster.client.batch().v1().cronjobs().inNamespace(NS).withName(name).get();
  }

  static List<Job> jobs(String cron) {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withLabel("cron", cron).list().getItems();
  }

  static List<String> events(String cron) {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> cron.equals(e.getInvolvedObject().getName())).map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  static void finish(Job job, String type) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    cluster.client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).editStatus(j -> {
      if (j.getStatus() == null) {
        j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
      }
      j.getStatus().setStartTime(now);
      if (type.equals(JobConditions.COMPLETE)) {
        j.getStatus().setCompletionTime(now);
        j.getStatus().setSucceeded(1);
      }
      j.getStatus().setConditions(List.of(new JobConditionBuilder().withType(type).withStatus("True")
          .withLastTransitionTime(now).build()));
      return j;
    });
  }

  static String jobName(String cron, Instant minute) {
    return cron + "-" + minute.getEpochSecond() / 60;
  }

  @Test
  void forbidSkipsWhileAJobRunsAndRecordsTheSuccess() {
    CronJob cj = cronJob("forbid", b -> b.editSpec().withConcurrencyPolicy("Forbid").endSpec());
    Instant first = nextMinute("forbid");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jobs("forbid")).hasSize(1));
    Job job = jobs("forbid").getFirst();
    assertThat(job.getMetadata().getName()).isEqualTo(jobName("forbid", first));
    assertThat(job.getMetadata().getAnnotations()).containsEntry(CronJobSync.SCHEDULED_TIMESTAMP, first.toString());
    assertThat(job.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo(cj.getMetadata().getUid());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      CronJob now = get("forbid");
      assertThat(now.getStatus().getActive()).extracting(r -> r.getName()).containsExactly(job.getMetadata().getName());
      assertThat(Instant.parse(now.getStatus().getLastScheduleTime())).isEqualTo(first);
    });
    nextMinute("forbid");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events("forbid")).contains(
        "JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid"));
    assertThat(jobs("forbid")).hasSize(1);
    finish(job, JobConditions.COMPLETE);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(jobs("forbid")).hasSize(2); // the still-due minute runs once the first Job is done
      CronJob now = get("forbid");
      assertThat(now.getStatus().getLastSuccessfulTime()).isNotNull();
      assertThat(now.getStatus().getActive()).hasSize(1);
    });
    assertThat(events("forbid")).anyMatch(e -> e.startsWith("SawCompletedJob: Saw completed job: " + job.getMetadata().getName()))
        .contains("SuccessfulCreate: Created job " + job.getMetadata().getName());
  }

  @Test
  void replaceDeletesTheRunningJobAndAllowRunsBoth() {
    cronJob("replace", b -> b.editSpec().withConcurrencyPolicy("Replace").endSpec());
    cronJob("allow", b -> b.editSpec().withConcurrencyPolicy("Allow").endSpec());
    Instant first = nextMinute("replace");
    tick("allow");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(jobs("replace")).hasSize(1);
      assertThat(jobs("allow")).hasSize(1);
    });
    Instant second = nextMinute("replace");
    tick("allow");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(jobs("replace")).extracting(j -> j.getMetadata().getName()).containsExactly(jobName("replace", second));
      assertThat(get("replace").getStatus().getActive()).extracting(r -> r.getName()).containsExactly(jobName("replace", second));
      assertThat(jobs("allow")).extracting(j -> j.getMetadata().getName())
          .containsExactlyInAnyOrder(jobName("allow", first), jobName("allow", second));
      assertThat(get("allow").getStatus().getActive()).hasSize(2);
    });
    assertThat(events("replace")).contains("SuccessfulDelete: Deleted job " + jobName("replace", first));
  }

  @Test
  void historyLimitsKeepOnlyTheNewestFinishedJobs() {
    cronJob("history", b -> b.editSpec().withSuccessfulJobsHistoryLimit(1).withFailedJobsHistoryLimit(1).endSpec());
    for (int i = 0; i < 3; i++) {
      int want = i + 1;
      nextMinute("history");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jobs("history")).hasSize(want));
    }
    List<Job> all = jobs("history").stream().sorted(java.util.Comparator.comparing(j -> j.getMetadata().getName())).toList();
    finish(all.get(0), JobConditions.COMPLETE);
    finish(all.get(1), JobConditions.COMPLETE);
    finish(all.get(2), JobConditions.FAILED);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jobs("history"))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(all.get(1).getMetadata().getName(), all.get(2).getMetadata().getName()));
  }

  @Test
  void suspendedCronJobStartsNothing() {
    cronJob("paused", b -> b.editSpec().withSuspend(true).endSpec());
    cronJob("witness", b -> b);
    nextMinute("paused");
    nextMinute("paused");
    tick("witness");
    // the witness's Jobs prove that the controller synced at the new times
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jobs("witness")).isNotEmpty());
    tick("paused");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jobs("paused")).isEmpty());
  }
}
