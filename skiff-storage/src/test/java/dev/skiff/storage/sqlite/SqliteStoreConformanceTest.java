package dev.skiff.storage.sqlite;

import dev.skiff.storage.Store;
import dev.skiff.storage.StoreConformanceTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The shared conformance suite against a fresh SQLite file per store. */
class SqliteStoreConformanceTest extends StoreConformanceTest {
  @TempDir Path dir;
  private final AtomicInteger files = new AtomicInteger();

  @Override
  protected Store newStore() {
    // a new file per call: a test may open a second store beside the first
    return SqliteStore.open(dir.resolve("skiff-" + files.incrementAndGet() + ".db"));
  }
}
