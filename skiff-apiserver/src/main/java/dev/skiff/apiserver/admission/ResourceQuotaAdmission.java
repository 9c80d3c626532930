package dev.skiff.apiserver.admission;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.quota.ObjectUsage;
import dev.skiff.quota.PodUsage;
import dev.skiff.quota.ResourceUsage;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.WriteResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ResourceQuota admission ({@code plugin/pkg/admission/resourcequota}) for creates: the
 * new object's charge (shared arithmetic of {@code skiff-quota}) must fit every quota of its
 * namespace that covers it, and a pod must state the cpu and memory requests and limits that a
 * quota limits. Admitting charges the quotas: {@code status.used} grows by the charge in a
 * compare-and-swap write of each quota, so concurrent creates cannot both take the last unit; on a
 * lost race the check runs again on the fresh quota. The quota controller later corrects charges
 * of creates that failed after admission. Thread-safe.
 */
public final class ResourceQuotaAdmission implements Admission {
  private static final int MAX_ATTEMPTS = 32;
  private static final Set<String> UPDATE_CHARGED = Set.of("services", "persistentvolumeclaims");
  private final Supplier<GenericStore> quotas;
  private final InstantSource clock;

  /** {@code stores}: every built-in resource's store, filled before the server serves. */
  public ResourceQuotaAdmission(Map<ResourceDefinition, GenericStore> stores, InstantSource clock) {
    Objects.requireNonNull(stores, "stores");
    this.quotas = TypedObjects.coreStoreOnce(stores, "resourcequotas");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private record Charge(KeyValue kv, ObjectNode quota, ResourceUsage newUsed) {}

  @Override
  public void validate(String namespace, ResourceDefinition def, ObjectNode obj, boolean dryRun) {
    admit(namespace, def, obj, dryRun, typed -> ObjectUsage.of(def.group(), def.plural(), typed, clock.instant()));
  }

  /**
   * Updates of services and claims are charged what they add (a Service turning NodePort, a claim
   * asking for more storage), as upstream's evaluators handle UPDATE for these kinds only; pods
   * are not resized in place here, and other kinds' counts do not change on update.
   */
  @Override
  public void validateUpdate(String namespace, ResourceDefinition def, ObjectNode obj, ObjectNode old, boolean dryRun) {
    if (!def.group().isEmpty() || !UPDATE_CHARGED.contains(def.plural())) {
      return;
    }
    admit(namespace, def, obj, dryRun, typed -> ObjectUsage.of(def.group(), def.plural(), typed, clock.instant())
        .minus(ObjectUsage.of(def.group(), def.plural(), TypedObjects.typed(def, old), clock.instant())).positive());
  }

  private void admit(String namespace, ResourceDefinition def, ObjectNode obj, boolean dryRun,
      Function<HasMetadata, ResourceUsage> chargeOf) {
    if (!def.namespaced()) {
      return;
    }
    GenericStore quotas = this.quotas.get();
    Set<String> charged = new HashSet<>();
    HasMetadata typed = null;
    ResourceUsage usage = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt == 0 && TypedObjects.cachedList(quotas, namespace).isEmpty()) {
        return;
      }
      List<KeyValue> kvs = TypedObjects.storedList(quotas, namespace);
      if (kvs.isEmpty()) {
        return;
      }
      if (typed == null) {
        typed = TypedObjects.typed(def, obj);
        try {
          usage = chargeOf.apply(typed);
        } catch (IllegalArgumentException | ArithmeticException e) {
          throw forbidden(def, obj, "unable to compute usage: " + e.getMessage());
        }
      }
      List<Charge> charges = new ArrayList<>();
      for (KeyValue kv : kvs) {
        if (charged.contains(kv.key().toStringUtf8())) {
          continue;
        }
        ObjectNode quotaNode = quotas.codec().decode(kv);
        Charge c = check(def, typed, usage, quotaNode, kv, obj);
        if (c != null) {
          charges.add(c);
        }
      }
      if (dryRun || write(quotas, charges, charged)) {
        return;
      }
    }
    throw StatusError.conflict(def.group(), def.plural(), name(obj), "too many concurrent quota updates; try again");
  }

  /** The quota's new usage with {@code usage} charged; null when the quota does not cover the object. */
  private Charge check(ResourceDefinition def, HasMetadata typed, ResourceUsage usage, ObjectNode quotaNode,
      KeyValue kv, ObjectNode obj) {
    ResourceQuota quota = TypedObjects.read(quotaNode, ResourceQuota.class);
    String quotaName = quota.getMetadata().getName();
    if (quota.getSpec() == null || !ObjectUsage.covers(quota.getSpec(), typed)) {
      return null;
    }
    ResourceUsage hard = ResourceUsage.fromQuantities(quota.getSpec().getHard());
    if (typed instanceof Pod pod) {
      String missing = PodUsage.missing(hard.names(), pod);
      if (missing != null) {
        throw forbidden(def, obj, "failed quota: " + quotaName + ": " + missing);
      }
    }
    ResourceUsage charge = usage.mask(hard.names());
    if (charge.isEmpty()) {
      return null;
    }
    ResourceUsage used = ResourceUsage.fromQuantities(quota.getStatus() == null ? null : quota.getStatus().getUsed());
    List<String> unknown = charge.names().stream().filter(n -> !used.has(n)).toList();
    if (!unknown.isEmpty()) {
      // the controller has not counted yet: upstream refuses rather than guess
      throw forbidden(def, obj, "status unknown for quota: " + quotaName + ", resources: " + String.join(",", unknown));
    }
    ResourceUsage newUsed = used.plus(charge);
    List<String> exceeded = charge.names().stream()
        .filter(n -> newUsed.get(n).compareTo(hard.get(n)) > 0).toList();
    if (!exceeded.isEmpty()) {
      throw forbidden(def, obj, "exceeded quota: %s, requested: %s, used: %s, limited: %s".formatted(quotaName,
          charge.mask(exceeded), used.mask(exceeded), hard.mask(exceeded)));
    }
    return new Charge(kv, quotaNode, used.plus(charge).mask(used.names()));
  }

  /** Writes every charge with a CAS; false when a quota changed meanwhile (the caller checks again). */
  private static boolean write(GenericStore quotas, List<Charge> charges, Set<String> charged) {
    for (Charge c : charges) {
      ObjectNode status = c.quota().withObject("status");
      ObjectNode used = status.putObject("used");
      c.newUsed().amounts().forEach((k, v) -> used.put(k, v.toString()));
      WriteResult r = quotas.store().update(c.kv().key(), quotas.codec().encode(c.quota()), c.kv().modRevision());
      if (!(r instanceof WriteResult.Written)) {
        return false;
      }
      // a retry after a lost race must not charge this quota twice
      charged.add(c.kv().key().toStringUtf8());
    }
    return true;
  }

  static StatusError forbidden(ResourceDefinition def, ObjectNode obj, String why) {
    return StatusError.forbidden("%s \"%s\" is forbidden: %s"
        .formatted(StatusError.qualified(def.group(), def.plural()), name(obj), why));
  }

  private static String name(ObjectNode obj) {
    return obj.path("metadata").path("name").asString("");
  }
}
