package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * pods/eviction ({@code policy/v1 Eviction}) with the real kubectl and raw requests: a pod without
 * a budget is deleted; a budget with no disruption left refuses with 429 and upstream's cause; an
 * allowed eviction spends the budget in its status; more than one budget is refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PodEvictionTest {
  @TempDir Path dir;

  @Test
  void evictionsHonourDisruptionBudgets() throws Exception {
    Path data = dir.resolve("data");
    try (Store store = SqliteStore.open(data.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(data, "127.0.0.1", 0, store, null, null))) {
      server.start();
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      ApiClient api = ApiClient.of(data.resolve("tls"), server.port(), true);
      for (String name : new String[] {"free", "guarded-1", "guarded-2", "twice"}) {
        String app = name.startsWith("guarded") ? "guarded" : name;
        kubectl.run("run", name, "--image=busybox", "--labels=app=" + app).assertOk();
        markRunningAndReady(api, name);
      }

      // no budget: the pod goes, as kubectl drain would see it
      var evicted = evict(api, "free");
      assertThat(evicted.statusCode()).isEqualTo(201);
      assertThat(kubectl.run("get", "pod", "free").exitCode()).isNotZero();

      // a budget whose status (the disruption controller's) allows one disruption
      kubectl.run("create", "poddisruptionbudget", "guard", "--selector=app=guarded", "--min-available=1").assertOk();
      api.send("PATCH", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/guard/status",
          "application/merge-patch+json",
          "{\"status\":{\"observedGeneration\":1,\"disruptionsAllowed\":1,\"currentHealthy\":2,\"desiredHealthy\":1,\"expectedPods\":2}}");
      assertThat(evict(api, "guarded-1").statusCode()).isEqualTo(201);
      JsonNode budget = json(kubectl.run("get", "pdb", "guard", "-o", "json").assertOk().stdout());
      assertThat(budget.path("status").path("disruptionsAllowed").asInt()).isZero();
      assertThat(budget.path("status").path("disruptedPods").has("guarded-1")).isTrue();

      var refused = evict(api, "guarded-2");
      assertThat(refused.statusCode()).isEqualTo(429);
      JsonNode status = json(refused.body());
      assertThat(status.path("reason").asString()).isEqualTo("TooManyRequests");
      assertThat(status.path("message").asString())
          .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
      assertThat(status.path("details").path("causes").get(0).path("reason").asString()).isEqualTo("DisruptionBudget");
      assertThat(status.path("details").path("causes").get(0).path("message").asString())
          .isEqualTo("The disruption budget guard needs 1 healthy pods and has 2 currently");
      assertThat(kubectl.run("get", "pod", "guarded-2").exitCode()).as("the pod stays").isZero();

      // two budgets over one pod: upstream refuses to choose
      kubectl.run("create", "pdb", "one", "--selector=app=twice", "--min-available=0").assertOk();
      kubectl.run("create", "pdb", "two", "--selector=app=twice", "--min-available=0").assertOk();
      var ambiguous = evict(api, "twice");
      assertThat(ambiguous.statusCode()).isEqualTo(500);
      assertThat(ambiguous.body()).contains("more than one PodDisruptionBudget");

      // eviction is advertised where kubectl drain looks for it
      assertThat(api.get("/api/v1").body()).contains("\"pods/eviction\"");
      assertThat(evict(api, "missing").statusCode()).isEqualTo(404);
    }
  }

  private static java.net.http.HttpResponse<String> evict(ApiClient api, String pod) throws Exception {
    return api.send("POST", "/api/v1/namespaces/default/pods/" + pod + "/eviction", "application/json",
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + pod
            + "\",\"namespace\":\"default\"},\"deleteOptions\":{\"gracePeriodSeconds\":0}}");
  }

  private static void markRunningAndReady(ApiClient api, String pod) throws Exception {
    var r = api.send("PATCH", "/api/v1/namespaces/default/pods/" + pod + "/status", "application/merge-patch+json",
        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private static JsonNode json(String s) {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }
}
