package dev.skiff.bench.storage;

import dev.skiff.storage.Store;
import dev.skiff.storage.etcd.EtcdStore;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.EtcdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The backends the storage benchmark knows, by name. */
final class StoreFixtures {
  private StoreFixtures() {}

  static StoreFixture named(String name) throws IOException {
    return switch (name) {
      case "sqlite" -> new Sqlite(Files.createTempDirectory("skiff-bench-sqlite"));
      case "etcd" -> new Etcd(EtcdProcess.start());
      default -> throw new IllegalArgumentException(
          "unknown backend '" + name + "': use sqlite or etcd");
    };
  }

  /** The embedded store on a fresh file in a temp dir (deleted afterwards). */
  private record Sqlite(Path dir) implements StoreFixture {
    @Override
    public String name() {
      return "sqlite";
    }

    @Override
    public Store open() {
      return SqliteStore.open(dir.resolve("state.db"));
    }

    @Override
    public void close() throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** A fresh single-member etcd on loopback (Debian's etcd-server), stopped afterwards. */
  private record Etcd(EtcdProcess etcd) implements StoreFixture {
    @Override
    public String name() {
      return "etcd";
    }

    @Override
    public Store open() {
      return EtcdStore.connect(etcd.endpoints());
    }

    @Override
    public void close() {
      etcd.close();
    }
  }
}
