package dev.skiff.controllers.ttlafterfinished;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.cronjob.CronJobController;
import dev.skiff.controllers.garbagecollector.GarbageCollector;
import dev.skiff.controllers.job.JobConditions;
import dev.skiff.controllers.job.JobController;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job, CronJob, TTL-after-finished and garbage collector controllers together on the real clock,
 * against an in-process ApiServer; the test plays the kubelet by ending pods' containers.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BatchEndToEndTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "batch";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(JobController.NAME, CronJobController.NAME, TtlAfterFinishedController.NAME,
        GarbageCollector.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Ends every running pod of {@code namespace} with exit code 0, as a kubelet reports it. */
  static void succeedRunningPods() {
    for (Pod p : cluster.client.pods().inNamespace(NS).list().getItems()) {
      boolean running = p.getMetadata().getDeletionTimestamp() == null
          && (p.getStatus() == null || p.getStatus().getPhase() == null || p.getStatus().getPhase().equals("Pending"));
      if (!running) {
        continue;
      }
      String now = Instant.now().toString();
      try {
        cluster.client.pods().inNamespace(NS).withName(p.getMetadata().getName()).editStatus(s -> {
          s.getStatus().setPhase("Succeeded");
          s.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("c").withImage("busybox")
              .withReady(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(0)
              .withFinishedAt(now).endTerminated().endState().build()));
          return s;
        });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        // gone or changed meanwhile: the next round sees it again
      }
    }
  }

  static Job job(String name, Integer ttl) {
    return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withNewSpec()
        .withTtlSecondsAfterFinished(ttl).withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
        .withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build();
  }

  @Test
  void finishedJobIsDeletedAfterItsTtlAndOneWithoutTtlStays() {
    var jobs = cluster.client.batch().v1().jobs().inNamespace(NS);
    jobs.resource(job("short-lived", 3)).create();
    jobs.resource(job("kept", null)).create();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      succeedRunningPods();
      return JobConditions.isTrue(jobs.withName("short-lived").get(), JobConditions.COMPLETE)
          && JobConditions.isTrue(jobs.withName("kept").get(), JobConditions.COMPLETE);
    });
    Instant finished = JobConditions.finishedAt(jobs.withName("short-lived").get()).orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs.withName("short-lived").get() == null);
    // the condition time has whole seconds: the deletion came no earlier than ttl - 1 s after it
    assertThat(Duration.between(finished, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(jobs.withName("kept").get()).isNotNull();
    // background propagation: the garbage collector removes the deleted Job's pods
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        cluster.client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", "short-lived").list().getItems()).isEmpty());
  }

  @Test
  void everyMinuteCronJobFiresOnTheRealClockAndItsJobCompletes() {
    CronJob cj = new CronJobBuilder().withNewMetadata().withName("minutely").withNamespace(NS).endMetadata()
        .withNewSpec().withSchedule("*/1 * * * *").withNewJobTemplate().withNewMetadata()
        .withLabels(Map.of("cron", "minutely")).endMetadata().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec()
        .endJobTemplate().endSpec().build();
    cluster.client.batch().v1().cronjobs().inNamespace(NS).resource(cj).create();
    Instant created = Instant.now();
    await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(500)).until(() ->
        !cluster.client.batch().v1().jobs().inNamespace(NS).withLabel("cron", "minutely").list().getItems().isEmpty());
    Job fired = cluster.client.batch().v1().jobs().inNamespace(NS).withLabel("cron", "minutely").list().getItems().getFirst();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      CronJob now = cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("minutely").get();
      return now.getStatus() != null && now.getStatus().getLastScheduleTime() != null;
    });
    Instant scheduled = Instant.parse(cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("minutely").get()
        .getStatus().getLastScheduleTime());
    assertThat(scheduled.getEpochSecond() % 60).isZero();
    assertThat(scheduled).isAfter(created.minusSeconds(1));
    assertThat(fired.getMetadata().getName()).isEqualTo("minutely-" + scheduled.getEpochSecond() / 60);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      succeedRunningPods();
      CronJob now = cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("minutely").get();
      assertThat(now.getStatus().getLastSuccessfulTime()).isNotNull();
      assertThat(now.getStatus().getActive()).noneMatch(r -> r.getName().equals(fired.getMetadata().getName()));
    });
    assertThat(cluster.kubectl.run("-n", NS, "get", "cronjob", "minutely").assertOk().stdout()).contains("*/1 * * * *");
  }
}
