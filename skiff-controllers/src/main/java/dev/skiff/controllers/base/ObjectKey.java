package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * What a work queue holds: the namespace ("" for cluster-scoped objects) and name of an object.
 * A key, never the object, is queued so that a worker always reads the newest state from the cache.
 */
public record ObjectKey(String namespace, String name) {
  public ObjectKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static ObjectKey of(HasMetadata obj) {
    String ns = obj.getMetadata().getNamespace();
    return new ObjectKey(ns == null ? "" : ns, obj.getMetadata().getName());
  }

  /** The informer cache's key form, {@code namespace/name} or {@code name}. */
  public String cacheKey() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  @Override
  public String toString() {
    return cacheKey();
  }
}
