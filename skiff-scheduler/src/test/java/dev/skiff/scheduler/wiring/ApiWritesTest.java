package dev.skiff.scheduler.wiring;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scheduler's plain-HTTP writes (binding, events) against the real API server on SQLite. */
class ApiWritesTest {

    @TempDir
    static Path dir;
    private static Store store;
    private static ApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        store = SqliteStore.open(dir.resolve("state.db"));
        server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
        server.start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        store.close();
    }

    private static Pod createPod(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("pause").endContainer().endSpec().build()).create();
    }

    @Test
    void bindingSetsTheNodeAndRefusesASecondBindingOrAnotherUid() {
        Pod pod = createPod("bind-me");
        ApiPodBinder binder = new ApiPodBinder(client);
        binder.bind(PodInfo.of(pod), "node-1");
        Pod bound = client.pods().inNamespace("default").withName("bind-me").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThatThrownBy(() -> binder.bind(PodInfo.of(pod), "node-2"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409))
                .hasMessageContaining("already assigned");

        Pod other = createPod("other-uid");
        Pod stale = new PodBuilder(other).editMetadata().withUid("not-" + other.getMetadata().getUid()).endMetadata().build();
        assertThatThrownBy(() -> binder.bind(PodInfo.of(stale), "node-1"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.pods().inNamespace("default").withName("other-uid").get().getSpec().getNodeName()).isNull();
    }

    @Test
    void bindingAMissingPodIsNotFound() {
        Pod gone = new PodBuilder().withNewMetadata().withName("never-created").withNamespace("default").withUid("u-1")
                .endMetadata().withNewSpec().endSpec().build();
        assertThatThrownBy(() -> new ApiPodBinder(client).bind(PodInfo.of(gone), "node-1"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void anEventIsWrittenOnceAndItsRepeatsPatchedOnceThenCountedInMemory() {
        Pod pod = createPod("evented");
        // a clock that moves a millisecond per reading: event names carry the time in nanoseconds, as upstream's
        AtomicLong ticks = new AtomicLong();
        Instant start = Instant.parse("2026-11-27T08:00:00.123456Z");
        InstantSource clock = () -> start.plusMillis(ticks.getAndIncrement());
        EventRecorder recorder = new EventRecorder(client, "default-scheduler", "test-instance", clock);
        recorder.record(pod, "Warning", "FailedScheduling", "Scheduling", "0/0 nodes are available");
        recorder.record(pod, "Warning", "FailedScheduling", "Scheduling", "0/0 nodes are available");
        recorder.record(pod, "Warning", "FailedScheduling", "Scheduling", "0/0 nodes are available");
        recorder.record(pod, "Normal", "Scheduled", "Binding", "Successfully assigned default/evented to node-1");
        assertThat(recorder.prepare(pod, "Warning", "FailedScheduling", "Scheduling", "0/0 nodes are available"))
                .as("past the second occurrence a repeat is counted in memory only, as upstream's event series")
                .isNull();

        List<Event> events = client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals("evented")).toList();
        assertThat(events).hasSize(2);
        Event failed = events.stream().filter(e -> e.getReason().equals("FailedScheduling")).findFirst().orElseThrow();
        assertThat(failed.getCount()).as("created, then patched once to 2").isEqualTo(2);
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(failed.getSource().getComponent()).isEqualTo("default-scheduler");
        assertThat(failed.getReportingInstance()).isEqualTo("test-instance");
        assertThat(failed.getFirstTimestamp()).isEqualTo("2026-11-27T08:00:00Z");
        Event scheduled = events.stream().filter(e -> e.getReason().equals("Scheduled")).findFirst().orElseThrow();
        assertThat(scheduled.getMessage()).isEqualTo("Successfully assigned default/evented to node-1");
        assertThat(scheduled.getCount()).isEqualTo(1);
        assertThat(scheduled.getAction()).isEqualTo("Binding");
        assertThat(scheduled.getEventTime().getTime()).isEqualTo("2026-11-27T08:00:00.126456Z");
    }
}
