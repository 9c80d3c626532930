package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The informer handler of a secondary kind whose objects a controller keeps in shape (an
 * Endpoints object, a slice, a default ServiceAccount): when someone edits or deletes one, the key
 * of the primary object it belongs to is queued, so that the controller writes it back. Adds are
 * ignored (the controller's own creates). Nothing else happens in the handler.
 *
 * @param <T> the secondary kind
 */
public final class EnqueueRelatedKey<T extends HasMetadata> implements ResourceEventHandler<T> {
  private final Function<T, Optional<ObjectKey>> related;
  private final Consumer<ObjectKey> enqueue;
  private final boolean onUpdates;
  private final boolean onAdds;

  private EnqueueRelatedKey(Function<T, Optional<ObjectKey>> related, Consumer<ObjectKey> enqueue, boolean onUpdates,
      boolean onAdds) {
    this.related = Objects.requireNonNull(related, "related");
    this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
    this.onUpdates = onUpdates;
    this.onAdds = onAdds;
  }

  /**
   * Queues {@code related(obj)} after every add, update and delete: for a controller that may create
   * a duplicate while its cache lags behind its own creates (two syncs of one Service each creating a
   * slice), so that the sync after the second create removes it.
   */
  public static <T extends HasMetadata> EnqueueRelatedKey<T> onAnyEvent(Function<T, Optional<ObjectKey>> related,
      Consumer<ObjectKey> enqueue) {
    return new EnqueueRelatedKey<>(related, enqueue, true, true);
  }

  /** Queues {@code related(obj)} after every update and delete. */
  public static <T extends HasMetadata> EnqueueRelatedKey<T> onChangeOrDelete(Function<T, Optional<ObjectKey>> related,
      Consumer<ObjectKey> enqueue) {
    return new EnqueueRelatedKey<>(related, enqueue, true, false);
  }

  /** Queues {@code related(obj)} after every delete only. */
  public static <T extends HasMetadata> EnqueueRelatedKey<T> onDelete(Function<T, Optional<ObjectKey>> related,
      Consumer<ObjectKey> enqueue) {
    return new EnqueueRelatedKey<>(related, enqueue, false, false);
  }

  @Override
  public void onAdd(T obj) {
    if (onAdds) {
      related.apply(obj).ifPresent(enqueue);
    }
  }

  @Override
  public void onUpdate(T old, T obj) {
    if (onUpdates) {
      related.apply(obj).ifPresent(enqueue);
    }
  }

  @Override
  public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    related.apply(obj).ifPresent(enqueue);
  }
}
