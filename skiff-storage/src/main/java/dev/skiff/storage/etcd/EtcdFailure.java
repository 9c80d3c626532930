package dev.skiff.storage.etcd;

import dev.skiff.storage.StoreException;

/**
 * etcd or the connection to it failed a request. For a write, the outcome is unknown: it may
 * have been applied before the failure.
 */
final class EtcdFailure extends StoreException {
  EtcdFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
