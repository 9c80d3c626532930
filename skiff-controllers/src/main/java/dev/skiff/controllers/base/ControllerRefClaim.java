package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's {@code ControllerRefManager.ClaimObjects}: works out which candidates an owner
 * controls, adopting orphans that match its selector and releasing its own that no longer match.
 * Objects controlled by someone else are left alone. Adoption first re-reads the owner from the
 * API ({@code canAdopt}), once per claim, so a stale cache never adopts for a deleted owner.
 */
public final class ControllerRefClaim<T extends HasMetadata> {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerRefClaim.class);

  private final KubernetesClient client;
  private final Class<T> type;

  public ControllerRefClaim(KubernetesClient client, Class<T> type) {
    this.client = Objects.requireNonNull(client, "client");
    this.type = Objects.requireNonNull(type, "type");
  }

  /**
   * @param canAdopt a fresh check that the owner still exists with its uid and is not being deleted
   * @return the candidates that {@code owner} controls after the claim
   */
  public List<T> claim(HasMetadata owner, LabelSelector selector, List<T> candidates, Supplier<Boolean> canAdopt) {
    String ownerUid = owner.getMetadata().getUid();
    boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
    Boolean adoptable = null;
    List<T> owned = new ArrayList<>();
    for (T obj : candidates) {
      boolean matches = Selectors.matches(selector, obj.getMetadata().getLabels());
      var controller = OwnerReferences.controllerOf(obj);
      if (controller.isPresent()) {
        if (!controller.get().getUid().equals(ownerUid)) {
          continue;
        }
        if (matches) {
          owned.add(obj);
        } else if (!ownerDeleting) {
          patch(obj, OwnerReferences.removePatch(obj, Set.of(ownerUid)), "release");
        }
        continue;
      }
      if (!matches || ownerDeleting || obj.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (adoptable == null) {
        adoptable = canAdopt.get();
      }
      if (!adoptable) {
        continue;
      }
      OwnerReference ref = OwnerReferences.controllerRef(owner);
      if (patch(obj, OwnerReferences.addPatch(obj, ref), "adopt")) {
        owned.add(obj);
      }
    }
    return owned;
  }

  /**
   * The usual {@code canAdopt} check: {@code owner} read from the API now (not the cache) still
   * exists with the same uid and is not being deleted, as upstream's {@code RecheckDeletionTimestamp}.
   */
  public static <O extends HasMetadata> Supplier<Boolean> ownerStillActive(KubernetesClient client, Class<O> type,
      O owner) {
    return () -> {
      O fresh = client.resources(type).inNamespace(owner.getMetadata().getNamespace())
          .withName(owner.getMetadata().getName()).get();
      return fresh != null && Objects.equals(fresh.getMetadata().getUid(), owner.getMetadata().getUid())
          && fresh.getMetadata().getDeletionTimestamp() == null;
    };
  }

  private boolean patch(T obj, String jsonPatch, String what) {
    try {
      client.resources(type).inNamespace(obj.getMetadata().getNamespace()).withName(obj.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), jsonPatch);
      return true;
    } catch (KubernetesClientException e) {
      // gone or replaced meanwhile (404, or the uid test failed): nothing to claim
      if (e.getCode() == 404 || e.getCode() == 422 || e.getCode() == 409) {
        LOG.debug("{} of {}/{} skipped: {}", what, obj.getMetadata().getNamespace(), obj.getMetadata().getName(), e.getCode());
        return false;
      }
      throw e;
    }
  }
}
