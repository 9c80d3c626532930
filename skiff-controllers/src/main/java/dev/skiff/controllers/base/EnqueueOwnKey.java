package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The informer handler of a controller's primary kind: every add, update (resyncs included) and
 * delete of an object queues that object's own key, and nothing else happens in the handler.
 *
 * @param <T> the primary kind
 */
public final class EnqueueOwnKey<T extends HasMetadata> implements ResourceEventHandler<T> {
  private final Consumer<ObjectKey> enqueue;
  private final Consumer<ObjectKey> onDelete;

  private EnqueueOwnKey(Consumer<ObjectKey> enqueue, Consumer<ObjectKey> onDelete) {
    this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
    this.onDelete = Objects.requireNonNull(onDelete, "onDelete");
  }

  /** Queues the key of each changed object with {@code enqueue}. */
  public static <T extends HasMetadata> EnqueueOwnKey<T> into(Consumer<ObjectKey> enqueue) {
    return new EnqueueOwnKey<>(enqueue, key -> {});
  }

  /** The same, and first tells {@code onDelete} (e.g. to drop expectations) of a deleted key. */
  public EnqueueOwnKey<T> alsoOnDelete(Consumer<ObjectKey> beforeEnqueue) {
    return new EnqueueOwnKey<>(enqueue, beforeEnqueue);
  }

  @Override
  public void onAdd(T obj) {
    enqueue.accept(ObjectKey.of(obj));
  }

  @Override
  public void onUpdate(T old, T obj) {
    enqueue.accept(ObjectKey.of(obj));
  }

  @Override
  public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    ObjectKey key = ObjectKey.of(obj);
    onDelete.accept(key);
    enqueue.accept(key);
  }
}
