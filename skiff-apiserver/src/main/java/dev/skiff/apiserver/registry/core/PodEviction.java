package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.ListOptions;
import dev.skiff.apiserver.registry.ResourceLister;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code pods/eviction} subresource ({@code policy/v1 Eviction}), as upstream's eviction REST:
 * a pod covered by a PodDisruptionBudget is deleted only when the budget allows a disruption,
 * which is then taken from the budget's status (with a compare-and-swap, so concurrent evictions
 * cannot overdraw it); a refusal is 429 TooManyRequests with a {@code DisruptionBudget} cause.
 * Pods that are not running, already terminating, or (per the budget's unhealthyPodEvictionPolicy)
 * unhealthy are deleted without spending the budget.
 */
public final class PodEviction {
  /** Upstream's cap on disruptedPods entries the controller has not yet cleared. */
  private static final int MAX_DISRUPTED_PODS = 2000;

  private final GenericStore pods;
  private final GenericStore budgets;
  private final InstantSource clock;

  public PodEviction(GenericStore pods, GenericStore budgets, InstantSource clock) {
    this.pods = Objects.requireNonNull(pods, "pods");
    this.budgets = Objects.requireNonNull(budgets, "budgets");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What to delete once eviction is allowed: the pod, with the eviction's delete options. */
  public interface Deleter {
    void delete(JsonNode deleteOptions);
  }

  /**
   * Evicts pod {@code namespace/name}.
   *
   * @throws StatusError 404 for no such pod, 429 when a budget forbids it now, 500 when more than
   *     one budget covers the pod (upstream does not support that)
   */
  public void evict(String namespace, String name, JsonNode eviction, boolean dryRun, Deleter deleter) {
    String bodyName = ObjectMeta.name(eviction);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusError.badRequest("name in URL does not match name in Eviction object");
    }
    JsonNode deleteOptions = eviction.path("deleteOptions");
    ObjectNode pod = pods.get(namespace, name);
    String phase = pod.path("status").path("phase").asString("");
    if (ObjectMeta.isTerminating(pod) || phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")) {
      deleter.delete(deleteOptions);
      return;
    }
    List<ObjectNode> covering = budgetsFor(namespace, pod);
    if (covering.size() > 1) {
      throw StatusError.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    }
    if (covering.isEmpty()) {
      deleter.delete(deleteOptions);
      return;
    }
    ObjectNode budget = covering.getFirst();
    if (!ready(pod) && skipsBudgetWhenUnhealthy(budget)) {
      deleter.delete(deleteOptions);
      return;
    }
    if (!dryRun) {
      spendDisruption(namespace, ObjectMeta.name(budget), name);
    } else {
      check(budget);
    }
    deleter.delete(deleteOptions);
  }

  private List<ObjectNode> budgetsFor(String namespace, ObjectNode pod) {
    List<ObjectNode> out = new ArrayList<>();
    var labels = ObjectMeta.labels(pod);
    for (ObjectNode budget : new ResourceLister(budgets).list(namespace, ListOptions.everything()).items()) {
      JsonNode selector = budget.path("spec").path("selector");
      // policy/v1: a null selector selects nothing, an empty one every pod of the namespace
      if (selector.isObject() && LabelSelector.fromObject(selector).matches(labels)) {
        out.add(budget);
      }
    }
    return out;
  }

  private static boolean ready(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asString("").equals("Ready")) {
        return c.path("status").asString("").equals("True");
      }
    }
    return false;
  }

  private static boolean skipsBudgetWhenUnhealthy(JsonNode budget) {
    String policy = budget.path("spec").path("unhealthyPodEvictionPolicy").asString("IfHealthyBudget");
    JsonNode status = budget.path("status");
    return policy.equals("AlwaysAllow")
        || status.path("currentHealthy").asInt(0) >= status.path("desiredHealthy").asInt(Integer.MAX_VALUE);
  }

  private void spendDisruption(String namespace, String budgetName, String podName) {
    budgets.guaranteedUpdate(namespace, budgetName, "", false, budget -> {
      check(budget);
      ObjectNode status = Json.objectAt(budget, "status");
      status.put("disruptionsAllowed", status.path("disruptionsAllowed").asInt() - 1);
      Json.objectAt(status, "disruptedPods").put(podName, ObjectMeta.formatTime(clock.instant()));
      return budget;
    }, true);
  }

  /** Whether {@code budget} lets one more pod go now; throws the refusal otherwise. */
  private static void check(JsonNode budget) {
    String name = ObjectMeta.name(budget);
    JsonNode status = budget.path("status");
    if (status.path("observedGeneration").asLong(0) < budget.path("metadata").path("generation").asLong(0)) {
      throw tooManyRequests("The disruption budget " + name + " is still being processed by the server.");
    }
    int allowed = status.path("disruptionsAllowed").asInt(0);
    if (allowed < 0) {
      throw new StatusError(403, "Forbidden", "pdb disruptions allowed is negative", null);
    }
    if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
      throw new StatusError(403, "Forbidden", "DisruptedPods map too big - too many evictions not confirmed by PDB controller", null);
    }
    if (allowed == 0) {
      throw tooManyRequests("The disruption budget %s needs %d healthy pods and has %d currently".formatted(
          name, status.path("desiredHealthy").asInt(0), status.path("currentHealthy").asInt(0)));
    }
  }

  private static StatusError tooManyRequests(String cause) {
    ObjectNode details = Json.object();
    details.putArray("causes").addObject().put("reason", "DisruptionBudget").put("message", cause);
    return new StatusError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
        details);
  }
}
