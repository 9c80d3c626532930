package dev.skiff.bench.storage;

import dev.skiff.storage.Store;

/** One storage backend under test: how to start it, connect to it, and stop it. */
interface StoreFixture extends AutoCloseable {
  /** A short name for the report, e.g. "sqlite" or "etcd". */
  String name();

  /** A connected store; the benchmark closes it. */
  Store open() throws Exception;

  /** Stops whatever the fixture started (processes, temp dirs). */
  @Override
  void close() throws Exception;
}
