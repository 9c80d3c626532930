package dev.skiff.simulator;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An in-process API server on a real SQLite file, with a fabric8 client and the real kubectl. */
final class TestCluster implements AutoCloseable {

    final Store store;
    final ApiServer server;
    final KubernetesClient client;
    private final Path kubeconfig;

    TestCluster(Path dir) throws Exception {
        store = SqliteStore.open(dir.resolve("state.db"));
        server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null));
        server.start();
        kubeconfig = server.kubeconfig();
        client = newClient();
    }

    KubernetesClient newClient() throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    /** Runs kubectl with a 30 s limit; returns stdout, failing on a non-zero exit. */
    String kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", kubeconfig.getParent().toString());
        pb.environment().remove("KUBECONFIG");
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            p.destroy();
        }
    }

    /** A pause pod asking for {@code cpu}. */
    static PodBuilder pod(String name, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("registry.k8s.io/pause:3.10")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec();
    }

    static String phase(Pod p) {
        return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
    }
}
