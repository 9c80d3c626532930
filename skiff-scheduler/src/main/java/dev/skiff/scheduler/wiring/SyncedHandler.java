package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An event handler that knows when it has seen the informer's initial state, as upstream's
 * {@code WaitForHandlersSync}. fabric8's {@code hasSynced()} turns true once the informer's store
 * holds the first list, but handlers receive that list later, on the informer's dispatch thread;
 * a scheduler that started then would miss nodes and bound pods its cache had not been told of.
 *
 * <p>Until it is synced, the handler notes the key of every object it is told about (added,
 * updated or deleted); it is synced once the informer has synced and every key in the informer's
 * store is among them. Objects that arrive after the first list only delay this until their own
 * events are delivered, which the dispatch thread does in order. After that it only delegates.
 *
 * @param <T> the informer's kind
 */
final class SyncedHandler<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final BooleanSupplier informerSynced;
    private final Supplier<List<String>> storeKeys;
    private final Function<T, String> keyOf;
    private final ResourceEventHandler<T> delegate;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean synced;

    /**
     * @param informerSynced the informer's {@code hasSynced}
     * @param storeKeys the keys in the informer's store now
     * @param keyOf the store's key of an object
     */
    SyncedHandler(BooleanSupplier informerSynced, Supplier<List<String>> storeKeys, Function<T, String> keyOf,
                  ResourceEventHandler<T> delegate) {
        this.informerSynced = Objects.requireNonNull(informerSynced, "informerSynced");
        this.storeKeys = Objects.requireNonNull(storeKeys, "storeKeys");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Registers {@code delegate} on {@code informer} behind a tracker; call before starting it. */
    static <T extends HasMetadata> SyncedHandler<T> register(SharedIndexInformer<T> informer,
                                                             ResourceEventHandler<T> delegate) {
        SyncedHandler<T> h = new SyncedHandler<>(informer::hasSynced, () -> informer.getStore().listKeys(),
                informer.getStore()::getKey, delegate);
        informer.addEventHandler(h);
        return h;
    }

    /** True once the informer synced and this handler has been told of everything in its store. */
    boolean hasSynced() {
        if (synced) {
            return true;
        }
        if (!informerSynced.getAsBoolean() || !seen.containsAll(storeKeys.get())) {
            return false;
        }
        synced = true;
        seen.clear();
        return true;
    }

    /** How many objects the handler has been told of so far (while not yet synced). */
    int seenCount() {
        return seen.size();
    }

    @Override
    public void onAdd(T obj) {
        delegate.onAdd(obj);
        note(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        delegate.onUpdate(oldObj, newObj);
        note(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        delegate.onDelete(obj, deletedFinalStateUnknown);
        note(obj);
    }

    private void note(T obj) {
        // noted after the delegate ran, so "seen" means "handled"
        if (!synced) {
            seen.add(keyOf.apply(obj));
        }
    }
}
