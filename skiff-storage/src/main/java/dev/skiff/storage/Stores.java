package dev.skiff.storage;

import dev.skiff.storage.etcd.EtcdStore;
import dev.skiff.storage.sqlite.SqliteStore;

/** Opens the {@link Store} that a {@link StoreEndpoint} names. */
public final class Stores {
  private Stores() {}

  /**
   * Opens (creating if needed) the embedded store, or connects to etcd.
   *
   * @throws StoreException if the store cannot be opened or reached
   */
  public static Store open(StoreEndpoint endpoint) {
    return switch (endpoint) {
      case StoreEndpoint.Embedded embedded -> SqliteStore.open(embedded.file());
      case StoreEndpoint.Etcd etcd -> EtcdStore.connect(etcd.endpoints());
    };
  }
}
