package dev.skiff.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The requests of {@code skiff server --training-run}: what a first start serves, so that the JVM's AOT
 * cache ({@code -XX:AOTCacheOutput}, written when the training process exits normally) holds the classes
 * and method profiles of a real start. bin/skiff runs it once per build of the jar.
 *
 * <p>The requests are those of a user's first minute: discovery, health checks, a ConfigMap created, read,
 * listed, patched and deleted, a pod list; then it waits (bounded) for the controller manager's default
 * ServiceAccount, so the components' informers and controllers have run too.
 *
 * @param kubeconfig the admin kubeconfig of the server under training
 * @param settle how long to wait at most for one request, and for the controller manager's first write
 */
record TrainingRun(Path kubeconfig, Duration settle) {

  /** Runs the requests; throws when the server answers one of them wrongly. */
  void run() throws IOException, InterruptedException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    // a loaded machine makes a cold server slow: the training run waits rather than failing (fabric8's 10 s)
    config.setRequestTimeout((int) settle.toMillis());
    config.setConnectionTimeout((int) settle.toMillis());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      for (String path : new String[] {"/readyz", "/livez", "/version", "/api", "/apis"}) {
        if (client.raw(path) == null) {
          throw new IOException("training run: GET " + path + " got no answer");
        }
      }
      client.namespaces().list();
      var configMaps = client.configMaps().inNamespace("default");
      ConfigMap created = configMaps.resource(new ConfigMapBuilder().withNewMetadata()
          .withName("skiff-training").addToLabels("skiff.dev/training", "true").endMetadata()
          .withData(Map.of("hello", "world")).build()).create();
      configMaps.withName(created.getMetadata().getName()).edit(cm -> {
        cm.getData().put("hello", "again");
        return cm;
      });
      configMaps.withLabel("skiff.dev/training", "true").list();
      if (!"again".equals(configMaps.withName("skiff-training").get().getData().get("hello"))) {
        throw new IOException("training run: the ConfigMap update was not read back");
      }
      configMaps.withName("skiff-training").delete();
      client.pods().inAnyNamespace().list();
      client.nodes().list();
      // the controller manager's first write: its informers and controllers have started by then
      long deadline = System.nanoTime() + settle.toNanos();
      while (client.serviceAccounts().inNamespace("default").withName("default").get() == null
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
  }
}
