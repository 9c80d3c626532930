package dev.skiff.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Job controller against an in-process ApiServer on SQLite, with the real kubectl. No kubelet
 * runs: {@link PodExits} ends pods' containers by writing pods/status.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class JobControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static PodExits kubelet;
  static final String NS = "jobs";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(JobController.NAME));
    cluster.createNamespace(NS);
    kubelet = new PodExits(cluster.client);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Job job(String name, UnaryOperator<JobBuilder> spec) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox").endContainer()
        .endSpec().endTemplate().endSpec();
    return cluster.client.batch().v1().jobs().inNamespace(NS).resource(spec.apply(b).build()).create();
  }

  static Job get(String name) {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  static List<Pod> pods(String job) {
    return cluster.client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", job).list().getItems();
  }

  static JobCondition condition(Job job, String type) {
    return JobConditions.of(job).stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
  }

  static List<String> eventReasons(String job) {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> job.equals(e.getInvolvedObject().getName()) && "Job".equals(e.getInvolvedObject().getKind()))
        .map(Event::getReason).toList();
  }

  @Test
  void completionsThreeParallelismTwoCompletesAndKubectlWaitReturns() throws Exception {
    Job created = job("work", b -> b.editSpec().withCompletions(3).withParallelism(2).endSpec());
    CompletableFuture<Kubectl.Result> wait = CompletableFuture.supplyAsync(() -> cluster.kubectl.run(Duration.ofSeconds(100),
        "-n", NS, "wait", "--for=condition=complete", "job/work", "--timeout=90s"), r -> Thread.ofVirtual().start(r));
    AtomicInteger maxRunning = new AtomicInteger();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      List<Pod> running = kubelet.running(NS, "work");
      maxRunning.accumulateAndGet(running.size(), Math::max);
      if (!running.isEmpty()) {
        Pod p = running.getFirst();
        assertThat(p.getMetadata().getFinalizers()).contains(JobPods.TRACKING_FINALIZER);
        assertThat(p.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-name", "work")
            .containsEntry("job-name", "work").containsEntry("controller-uid", created.getMetadata().getUid())
            .containsEntry("batch.kubernetes.io/controller-uid", created.getMetadata().getUid());
        assertThat(p.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo(created.getMetadata().getUid());
        kubelet.exit(p, 0);
      }
      return JobConditions.isTrue(get("work"), JobConditions.COMPLETE);
    });
    Kubectl.Result waited = wait.get(100, TimeUnit.SECONDS);
    assertThat(waited.exitCode()).as(waited.stderr()).isZero();
    assertThat(waited.stdout()).contains("job.batch/work condition met");
    assertThat(maxRunning.get()).isEqualTo(2);
    Job done = get("work");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(done.getStatus().getActive()).isZero();
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(condition(done, JobConditions.SUCCESS_CRITERIA_MET).getReason()).isEqualTo("CompletionsReached");
    assertThat(condition(done, JobConditions.COMPLETE).getMessage()).isEqualTo("Reached expected number of succeeded pods");
    assertThat(pods("work")).hasSize(3).allSatisfy(p ->
        assertThat(p.getMetadata().getFinalizers()).doesNotContain(JobPods.TRACKING_FINALIZER));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(eventReasons("work")).contains("SuccessfulCreate", "Completed"));
    assertThat(cluster.kubectl.run("-n", NS, "get", "job", "work").assertOk().stdout()).contains("Complete").contains("3/3");
  }

  @Test
  void failingPodsStopAtTheBackoffLimitAfterABackOff() {
    job("fails", b -> b.editSpec().withBackoffLimit(1).endSpec());
    Instant[] firstFailure = new Instant[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (Pod p : kubelet.running(NS, "fails")) {
        if (kubelet.exit(p, 1) && firstFailure[0] == null) {
          firstFailure[0] = Instant.now();
        }
      }
      return JobConditions.isTrue(get("fails"), JobConditions.FAILED);
    });
    Job failed = get("fails");
    assertThat(condition(failed, JobConditions.FAILED).getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(condition(failed, JobConditions.FAILED).getMessage()).isEqualTo("Job has reached the specified backoff limit");
    assertThat(condition(failed, JobConditions.FAILURE_TARGET).getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.getStatus().getFailed()).isEqualTo(2);
    assertThat(failed.getStatus().getCompletionTime()).isNull();
    List<Pod> all = pods("fails");
    assertThat(all).hasSize(2);
    // the replacement waited for upstream's 10 s failure back-off
    Instant second = all.stream().map(p -> Instant.parse(p.getMetadata().getCreationTimestamp())).max(Instant::compareTo).orElseThrow();
    assertThat(Duration.between(firstFailure[0], second)).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventReasons("fails")).contains("BackoffLimitExceeded"));
  }

  @Test
  void indexedJobReportsCompletedIndexes() {
    job("indexed", b -> b.editSpec().withCompletionMode("Indexed").withCompletions(3).withParallelism(3).endSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.running(NS, "indexed").size() == 3);
    List<Pod> running = kubelet.running(NS, "indexed");
    assertThat(running).extracting(p -> p.getMetadata().getAnnotations().get(JobPods.COMPLETION_INDEX))
        .containsExactlyInAnyOrder("0", "1", "2");
    for (Pod p : running) {
      String index = p.getMetadata().getLabels().get(JobPods.COMPLETION_INDEX);
      assertThat(p.getSpec().getHostname()).isEqualTo("indexed-" + index);
      assertThat(p.getMetadata().getName()).startsWith("indexed-" + index + "-");
      assertThat(p.getSpec().getContainers().getFirst().getEnv()).anySatisfy(e ->
          assertThat(e.getName()).isEqualTo("JOB_COMPLETION_INDEX"));
      if (!index.equals("1")) {
        kubelet.exit(p, 0);
      }
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Job j = get("indexed");
      assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("0,2");
      assertThat(j.getStatus().getSucceeded()).isEqualTo(2);
      assertThat(j.getStatus().getActive()).isEqualTo(1);
    });
    kubelet.running(NS, "indexed").forEach(p -> kubelet.exit(p, 0));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Job j = get("indexed");
      assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("0-2");
      assertThat(JobConditions.isTrue(j, JobConditions.COMPLETE)).isTrue();
    });
  }

  @Test
  void successPolicyCompletesTheJobOnceItsIndexesSucceed() {
    job("leader", b -> b.editSpec().withCompletionMode("Indexed").withCompletions(3).withParallelism(3)
        .withNewSuccessPolicy().addNewRule().withSucceededIndexes("0").endRule().endSuccessPolicy().endSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.running(NS, "leader").size() == 3);
    // index 1 succeeding meets no rule: the Job goes on
    kubelet.exit(kubelet.running(NS, "leader").stream()
        .filter(p -> "1".equals(p.getMetadata().getAnnotations().get(JobPods.COMPLETION_INDEX))).findFirst().orElseThrow(), 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(get("leader").getStatus().getCompletedIndexes()));
    assertThat(condition(get("leader"), JobConditions.SUCCESS_CRITERIA_MET)).isNull();
    kubelet.exit(kubelet.running(NS, "leader").stream()
        .filter(p -> "0".equals(p.getMetadata().getAnnotations().get(JobPods.COMPLETION_INDEX))).findFirst().orElseThrow(), 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> JobConditions.isTrue(get("leader"), JobConditions.COMPLETE));
    Job j = get("leader");
    for (String type : List.of(JobConditions.SUCCESS_CRITERIA_MET, JobConditions.COMPLETE)) {
      assertThat(condition(j, type).getReason()).isEqualTo("SuccessPolicy");
      assertThat(condition(j, type).getMessage()).isEqualTo("Matched rules at index 0");
    }
    assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("0-1");
    assertThat(j.getStatus().getActive()).isZero();
    // index 2 never ran to the end: its pod was removed
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubelet.running(NS, "leader")).isEmpty());
  }

  static Pod runningIndex(String job, String index) {
    return kubelet.running(NS, job).stream()
        .filter(p -> index.equals(p.getMetadata().getAnnotations().get(JobPods.COMPLETION_INDEX))).findFirst().orElse(null);
  }

  @Test
  void backoffLimitPerIndexFailsAnIndexAndThenTheJob() {
    job("per-index", b -> b.editSpec().withCompletionMode("Indexed").withCompletions(3).withParallelism(3)
        .withBackoffLimitPerIndex(1).endSpec());
    assertThat(get("per-index").getSpec().getBackoffLimit()).isEqualTo(Integer.MAX_VALUE);
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.running(NS, "per-index").size() == 3);
    assertThat(kubelet.running(NS, "per-index")).allSatisfy(p ->
        assertThat(p.getMetadata().getAnnotations()).containsEntry(IndexFailures.FAILURE_COUNT, "0"));
    kubelet.exit(runningIndex("per-index", "1"), 0);
    kubelet.exit(runningIndex("per-index", "2"), 0);
    kubelet.exit(runningIndex("per-index", "0"), 1);
    // index 0 gets a second chance (after the failure back-off), its pod counting the first failure
    await().atMost(Duration.ofSeconds(60)).until(() -> runningIndex("per-index", "0") != null);
    assertThat(runningIndex("per-index", "0").getMetadata().getAnnotations()).containsEntry(IndexFailures.FAILURE_COUNT, "1");
    assertThat(JobConditions.isFinished(get("per-index"))).isFalse();
    kubelet.exit(runningIndex("per-index", "0"), 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> JobConditions.isTrue(get("per-index"), JobConditions.FAILED));
    Job j = get("per-index");
    assertThat(condition(j, JobConditions.FAILED).getReason()).isEqualTo("FailedIndexes");
    assertThat(condition(j, JobConditions.FAILED).getMessage()).isEqualTo("Job has failed indexes");
    assertThat(j.getStatus().getFailedIndexes()).isEqualTo("0");
    assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("1-2");
    assertThat(j.getStatus().getFailed()).isEqualTo(2);
    assertThat(kubelet.running(NS, "per-index")).isEmpty();
  }

  @Test
  void maxFailedIndexesFailsTheJobAtOnce() {
    job("max-failed", b -> b.editSpec().withCompletionMode("Indexed").withCompletions(3).withParallelism(3)
        .withBackoffLimitPerIndex(0).withMaxFailedIndexes(0).endSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.running(NS, "max-failed").size() == 3);
    kubelet.exit(runningIndex("max-failed", "2"), 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> JobConditions.isTrue(get("max-failed"), JobConditions.FAILED));
    Job j = get("max-failed");
    assertThat(condition(j, JobConditions.FAILED).getReason()).isEqualTo("MaxFailedIndexesExceeded");
    assertThat(j.getStatus().getFailedIndexes()).isEqualTo("2");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubelet.running(NS, "max-failed")).isEmpty());
    // and the limits are checked as upstream
    assertThatThrownBy(() -> job("bad-limits", b -> b.editSpec().withCompletions(2).withMaxFailedIndexes(1).endSpec()))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
            .contains("spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode")
            .contains("spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"));
  }

  @Test
  void successPolicyIsValidatedAsUpstream() {
    assertThatThrownBy(() -> job("bad-policy", b -> b.editSpec().withCompletionMode("Indexed").withCompletions(3)
        .withNewSuccessPolicy().addNewRule().withSucceededIndexes("2-1").endRule()
        .addNewRule().withSucceededIndexes("0,1").withSucceededCount(3).endRule().endSuccessPolicy().endSpec()))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getDetails().getCauses())
            .extracting(c -> c.getField() + ": " + c.getMessage())
            .anySatisfy(m -> assertThat(m).startsWith("spec.successPolicy.rules[0].succeededIndexes")
                .contains("error parsing succeededIndexes: non-increasing order, previous: 2, current: 1"))
            .anySatisfy(m -> assertThat(m).startsWith("spec.successPolicy.rules[1].succeededCount")
                .contains("must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)")));
    assertThatThrownBy(() -> job("nonindexed-policy", b -> b.editSpec().withCompletions(3)
        .withNewSuccessPolicy().addNewRule().withSucceededCount(1).endRule().endSuccessPolicy().endSpec()))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
            .contains("spec.successPolicy: Invalid value").contains("requires indexed completion mode"));
  }

  @Test
  void suspendedJobHasNoPodsUntilResumedAndSuspendingDeletesThem() {
    job("sleepy", b -> b.editSpec().withSuspend(true).withParallelism(2).withCompletions(2).endSpec());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JobCondition c = condition(get("sleepy"), JobConditions.SUSPENDED);
      assertThat(c).isNotNull();
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("JobSuspended");
    });
    assertThat(pods("sleepy")).isEmpty();
    assertThat(get("sleepy").getStatus().getStartTime()).isNull();
    cluster.kubectl.run("-n", NS, "patch", "job", "sleepy", "-p", "{\"spec\":{\"suspend\":false}}").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Job j = get("sleepy");
      assertThat(kubelet.running(NS, "sleepy")).hasSize(2);
      assertThat(condition(j, JobConditions.SUSPENDED).getStatus()).isEqualTo("False");
      assertThat(condition(j, JobConditions.SUSPENDED).getReason()).isEqualTo("JobResumed");
      assertThat(j.getStatus().getStartTime()).isNotNull();
    });
    cluster.kubectl.run("-n", NS, "patch", "job", "sleepy", "-p", "{\"spec\":{\"suspend\":true}}").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(pods("sleepy")).isEmpty();
      Job j = get("sleepy");
      assertThat(j.getStatus().getActive()).isZero();
      assertThat(j.getStatus().getFailed()).isZero(); // pods deleted by suspension are not failures
      assertThat(condition(j, JobConditions.SUSPENDED).getStatus()).isEqualTo("True");
    });
    assertThat(eventReasons("sleepy")).contains("Suspended", "Resumed", "SuccessfulDelete");
    // a settled Job is not rewritten: the controller's own status writes do not feed a loop
    String settled = get("sleepy").getMetadata().getResourceVersion();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(get("sleepy").getMetadata().getResourceVersion()).isEqualTo(settled));
  }

  @Test
  void jobManagedByAnotherControllerIsLeftAlone() {
    job("external", b -> b.editSpec().withManagedBy("example.com/batch-controller").endSpec());
    // a witness created after it: once its pod exists, the controller has seen the external Job too
    job("witness", b -> b);
    await().atMost(Duration.ofSeconds(30)).until(() -> !pods("witness").isEmpty());
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(pods("external")).isEmpty();
      assertThat(get("external").getStatus()).satisfiesAnyOf(
          st -> assertThat(st).isNull(), st -> assertThat(st.getStartTime()).isNull());
    });
    // managedBy may not change, and must be a domain-prefixed path
    Kubectl.Result change = cluster.kubectl.run("-n", NS, "patch", "job", "external", "--type=merge",
        "-p", "{\"spec\":{\"managedBy\":\"kubernetes.io/job-controller\"}}");
    assertThat(change.exitCode()).isNotZero();
    assertThat(change.stderr()).contains("spec.managedBy: Invalid value").contains("field is immutable");
    assertThatThrownBy(() -> job("bad-manager", b -> b.editSpec().withManagedBy("not a path").endSpec()))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> {
            assertThat(c.getField()).isEqualTo("spec.managedBy");
            assertThat(c.getMessage()).contains("must be a domain-prefixed path");
          });
        });
  }

  @Test
  void activeDeadlineFailsTheJobAndDeletesItsPods() {
    job("slow", b -> b.editSpec().withActiveDeadlineSeconds(3L).withParallelism(2).withCompletions(4).endSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> JobConditions.isTrue(get("slow"), JobConditions.FAILED));
    Job j = get("slow");
    assertThat(condition(j, JobConditions.FAILED).getReason()).isEqualTo("DeadlineExceeded");
    assertThat(condition(j, JobConditions.FAILED).getMessage()).isEqualTo("Job was active longer than specified deadline");
    assertThat(Duration.between(Instant.parse(j.getStatus().getStartTime()),
        Instant.parse(condition(j, JobConditions.FAILED).getLastTransitionTime()))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(j.getStatus().getActive()).isZero();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pods("slow")).isEmpty());
  }

  @Test
  void podFailurePolicyIgnoresOneExitCodeAndFailsTheJobOnAnother() {
    job("policy", b -> b.editSpec().withBackoffLimit(6).withPodFailurePolicy(new PodFailurePolicyBuilder()
        .addNewRule().withAction("Ignore").withNewOnExitCodes().withOperator("In").withValues(43).endOnExitCodes().endRule()
        .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName("c").withOperator("In").withValues(42)
        .endOnExitCodes().endRule().build()).endSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.running(NS, "policy").size() == 1);
    String firstPod = kubelet.running(NS, "policy").getFirst().getMetadata().getName();
    kubelet.exit(kubelet.running(NS, "policy").getFirst(), 43);
    await().atMost(Duration.ofSeconds(40)).until(() -> kubelet.running(NS, "policy").stream()
        .anyMatch(p -> !p.getMetadata().getName().equals(firstPod)));
    assertThat(get("policy").getStatus().getFailed()).isZero();
    Pod second = kubelet.running(NS, "policy").getFirst();
    kubelet.exit(second, 42);
    await().atMost(Duration.ofSeconds(30)).until(() -> JobConditions.isTrue(get("policy"), JobConditions.FAILED));
    Job j = get("policy");
    assertThat(condition(j, JobConditions.FAILED).getReason()).isEqualTo("PodFailurePolicy");
    assertThat(condition(j, JobConditions.FAILED).getMessage()).isEqualTo("Container c for pod " + NS + "/"
        + second.getMetadata().getName() + " failed with exit code 42 matching FailJob rule at index 1");
    assertThat(j.getStatus().getFailed()).isEqualTo(1);
  }

  @Test
  void podsOfAJobDeletedWhileRunningLoseTheTrackingFinalizer() {
    job("dropped", b -> b.editSpec().withParallelism(2).withCompletions(2).endSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.running(NS, "dropped").size() == 2);
    cluster.kubectl.run("-n", NS, "delete", "job", "dropped", "--cascade=background", "--wait=false").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods("dropped")).hasSize(2)
        .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).doesNotContain(JobPods.TRACKING_FINALIZER)));
  }
}
