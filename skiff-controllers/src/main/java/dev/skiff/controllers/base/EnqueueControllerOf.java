package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The informer handler of a controller's dependents (pods, revisions): each event queues the key
 * of the owner of {@code kind} that controls the object (checked by uid against the owner cache),
 * or, for an orphan whose labels could now match, every owner whose selector matches so one may
 * adopt it. A dependent seen with a deletion timestamp counts as deleted, as upstream. Optional
 * observers settle a controller's {@link Expectations}.
 *
 * @param <O> the owner kind as the controller sees it
 * @param <D> the dependent kind
 */
public final class EnqueueControllerOf<O extends HasMetadata, D extends HasMetadata> implements ResourceEventHandler<D> {
  /** How a controller reads its owners: by key from the cache, all of a namespace, and an owner's selector. */
  public record Owners<O extends HasMetadata>(String kind, Function<ObjectKey, O> byKey,
      Function<String, List<O>> inNamespace, Function<O, LabelSelector> selector) {
    public Owners {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(byKey, "byKey");
      Objects.requireNonNull(inNamespace, "inNamespace");
      Objects.requireNonNull(selector, "selector");
    }
  }

  private final Owners<O> owners;
  private final Consumer<ObjectKey> enqueue;
  private final Consumer<ObjectKey> created;
  private final BiConsumer<ObjectKey, String> deleted;

  private EnqueueControllerOf(Owners<O> owners, Consumer<ObjectKey> enqueue, Consumer<ObjectKey> created,
      BiConsumer<ObjectKey, String> deleted) {
    this.owners = Objects.requireNonNull(owners, "owners");
    this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
    this.created = Objects.requireNonNull(created, "created");
    this.deleted = Objects.requireNonNull(deleted, "deleted");
  }

  public static <O extends HasMetadata, D extends HasMetadata> EnqueueControllerOf<O, D> into(Owners<O> owners,
      Consumer<ObjectKey> enqueue) {
    return new EnqueueControllerOf<>(owners, enqueue, k -> {}, (k, uid) -> {});
  }

  /** The same, also telling {@code expectations} of each creation and deletion of a controlled dependent. */
  public EnqueueControllerOf<O, D> observedBy(Expectations expectations) {
    return new EnqueueControllerOf<>(owners, enqueue, expectations::creationObserved, expectations::deletionObserved);
  }

  @Override
  public void onAdd(D obj) {
    if (obj.getMetadata().getDeletionTimestamp() != null) {
      // a restarted controller sees objects already being deleted: that is a deletion
      onDelete(obj, false);
      return;
    }
    Optional<ObjectKey> owner = controllerKey(obj);
    if (owner.isPresent()) {
      created.accept(owner.get());
      enqueue.accept(owner.get());
    } else {
      matchingOwners(obj).forEach(enqueue);
    }
  }

  @Override
  public void onUpdate(D old, D obj) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), obj.getMetadata().getResourceVersion())) {
      return; // resync: nothing changed
    }
    if (obj.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null) {
      // graceful deletion: the object counts as gone now, as upstream
      controllerKey(obj).ifPresent(k -> deleted.accept(k, obj.getMetadata().getUid()));
    }
    Optional<ObjectKey> oldOwner = controllerKey(old);
    Optional<ObjectKey> owner = controllerKey(obj);
    if (oldOwner.isPresent() && !oldOwner.equals(owner)) {
      enqueue.accept(oldOwner.get());
    }
    if (owner.isPresent()) {
      enqueue.accept(owner.get());
    } else if (!Objects.equals(old.getMetadata().getLabels(), obj.getMetadata().getLabels()) || oldOwner.isPresent()) {
      matchingOwners(obj).forEach(enqueue);
    }
  }

  @Override
  public void onDelete(D obj, boolean unknownFinalState) {
    controllerKey(obj).ifPresent(k -> {
      deleted.accept(k, obj.getMetadata().getUid());
      enqueue.accept(k);
    });
  }

  /** The key of the owner in the cache that controls {@code obj}, matched by kind and uid. */
  private Optional<ObjectKey> controllerKey(D obj) {
    Optional<OwnerReference> ref = OwnerReferences.controllerOf(obj).filter(r -> owners.kind().equals(r.getKind()));
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    ObjectKey key = new ObjectKey(obj.getMetadata().getNamespace(), ref.get().getName());
    O owner = owners.byKey().apply(key);
    return owner != null && ref.get().getUid().equals(owner.getMetadata().getUid()) ? Optional.of(key) : Optional.empty();
  }

  private List<ObjectKey> matchingOwners(D obj) {
    return owners.inNamespace().apply(obj.getMetadata().getNamespace()).stream()
        .filter(o -> Selectors.matches(owners.selector().apply(o), obj.getMetadata().getLabels()))
        .map(ObjectKey::of).toList();
  }
}
