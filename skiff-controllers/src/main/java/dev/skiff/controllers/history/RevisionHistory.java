package dev.skiff.controllers.history;

import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ControllerRevisions of StatefulSets and DaemonSets through the API (upstream's
 * {@code realHistory}): claiming them, finding or creating the revision of the current template
 * (renumbering an older equal one, which is how a rollback to it shows), and trimming the history
 * to {@code revisionHistoryLimit}. Reads come from the shared informer's cache.
 */
public final class RevisionHistory {
  /** Upstream's default {@code revisionHistoryLimit}. */
  public static final int DEFAULT_LIMIT = 10;

  /** The revision of the owner's current template, every revision oldest first, and the collision count used. */
  public record Resolved(ControllerRevision update, List<ControllerRevision> revisions, int collisionCount) {}

  private final KubernetesClient client;
  private final SharedIndexInformer<ControllerRevision> informer;
  private final ControllerRefClaim<ControllerRevision> claim;

  public RevisionHistory(KubernetesClient client, SharedIndexInformer<ControllerRevision> informer) {
    this.client = Objects.requireNonNull(client, "client");
    this.informer = Objects.requireNonNull(informer, "informer");
    this.claim = new ControllerRefClaim<>(client, ControllerRevision.class);
  }

  /** The owner's revisions from the cache, adopting orphans its selector matches; oldest first. */
  public List<ControllerRevision> list(HasMetadata owner, LabelSelector selector, Supplier<Boolean> canAdopt) {
    List<ControllerRevision> candidates = informer.getIndexer()
        .byIndex(SharedInformers.BY_NAMESPACE, owner.getMetadata().getNamespace());
    List<ControllerRevision> owned = new ArrayList<>(claim.claim(owner, selector, candidates, canAdopt));
    owned.sort(ControllerRevisions.BY_REVISION);
    return owned;
  }

  /**
   * Upstream's {@code getStatefulSetRevisions}/{@code constructHistory}: the newest revision if it
   * already equals {@code template}; else an older equal revision renumbered to the newest (a
   * rollback); else a new revision, created under a name salted with a higher collision count
   * while another revision holds the name with different data.
   */
  public Resolved resolve(HasMetadata owner, List<ControllerRevision> revisions, PodTemplateSpec template,
      Integer collisionCount) {
    List<ControllerRevision> all = new ArrayList<>(revisions);
    int collisions = collisionCount == null ? 0 : collisionCount;
    Object data = ControllerRevisions.templatePatch(template);
    long next = ControllerRevisions.nextRevision(all);
    var labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
    ControllerRevision wanted = ControllerRevisions.newRevision(owner, labels, data, next, collisions);
    List<ControllerRevision> equal = all.stream().filter(r -> ControllerRevisions.equalData(r, wanted)).toList();
    if (!equal.isEmpty() && equal.getLast() == all.getLast()) {
      return new Resolved(all.getLast(), all, collisions);
    }
    if (!equal.isEmpty()) {
      ControllerRevision renumbered = renumber(equal.getLast(), next);
      all.remove(equal.getLast());
      all.add(renumbered);
      return new Resolved(renumbered, all, collisions);
    }
    while (true) {
      ControllerRevision candidate = ControllerRevisions.newRevision(owner, labels, data, next, collisions);
      var api = client.apps().controllerRevisions().inNamespace(owner.getMetadata().getNamespace());
      try {
        ControllerRevision created = api.resource(candidate).create();
        all.add(created);
        return new Resolved(created, all, collisions);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        ControllerRevision existing = api.withName(candidate.getMetadata().getName()).get();
        if (existing != null && ControllerRevisions.equalData(existing, candidate)
            && isControlledBy(existing, owner)) {
          // ours, created by an earlier sync the cache has not shown yet
          all.add(existing);
          return new Resolved(existing, all, collisions);
        }
        collisions++; // a hash collision: salt the name and try again
        if (collisions > 1000) {
          throw new IllegalStateException("no free revision name for " + owner.getMetadata().getName());
        }
      }
    }
  }

  private ControllerRevision renumber(ControllerRevision revision, long number) {
    return client.apps().controllerRevisions().inNamespace(revision.getMetadata().getNamespace())
        .withName(revision.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"revision\":" + number + "}");
  }

  /**
   * Deletes the oldest revisions beyond {@code limit} that no live pod or status names: upstream's
   * {@code truncateHistory}. {@code revisions} must be oldest first.
   */
  public void truncate(List<ControllerRevision> revisions, Set<String> liveNames, Integer limit) {
    int keep = limit == null ? DEFAULT_LIMIT : Math.max(limit, 0);
    List<ControllerRevision> idle = revisions.stream().filter(r -> !liveNames.contains(r.getMetadata().getName())).toList();
    for (int i = 0; i < idle.size() - keep; i++) {
      ControllerRevision r = idle.get(i);
      try {
        client.apps().controllerRevisions().inNamespace(r.getMetadata().getNamespace())
            .withName(r.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private static boolean isControlledBy(HasMetadata obj, HasMetadata owner) {
    return dev.skiff.controllers.base.OwnerReferences.controllerOf(obj)
        .map(r -> r.getUid().equals(owner.getMetadata().getUid())).orElse(false);
  }
}
