package dev.skiff.apiserver.testing;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.file.Path;

/** An ApiServer on a fresh SQLite file under {@code dir}, with a kubectl for it; closing stops both. */
public record InProcessServer(Store store, ApiServer server, Kubectl kubectl) implements AutoCloseable {
  public static InProcessServer start(Path dir) throws Exception {
    Store store = SqliteStore.open(dir.resolve("state.db"));
    ApiServer server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
    server.start();
    return new InProcessServer(store, server, new Kubectl(server.kubeconfig()));
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
