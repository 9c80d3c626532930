package dev.skiff.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer's store that drops {@code metadata.managedFields} from every object it keeps, as
 * upstream's scheduler and controller manager do with client-go's {@code TransformStripManagedFields}:
 * no component reads them, and their {@code FieldsV1} trees were most of the maps of a cached pod;
 * it also shares one empty map for every empty {@code additionalProperties} ({@link ModelCompactor}).
 * fabric8 hands handlers the same instance it stores, so handlers see the trimmed object too.
 * An update sent from a cached object carries no managedFields, which the API server reads as
 * "keep the stored ones", as upstream does.
 *
 * @param <T> the informer's kind
 */
final class TrimmedItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  TrimmedItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return super.put(key, ModelCompactor.compact(obj));
  }
}
