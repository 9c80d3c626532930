package dev.skiff.storage.etcd;

import dev.skiff.storage.Store;
import dev.skiff.storage.StoreConformanceTest;
import dev.skiff.testkit.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite against a real etcd: one etcd process for the class, a fresh
 * {@link EtcdStore} (its own jetcd client) per test.
 */
class EtcdStoreConformanceTest extends StoreConformanceTest {
  private static EtcdProcess etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdProcess.start();
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected Store newStore() {
    return EtcdStore.connect(etcd.endpoints());
  }
}
