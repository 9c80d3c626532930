package dev.skiff.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the cluster state lives, as named by {@code --datastore-endpoint} (the flag k3s users
 * know): empty or {@code sqlite} for the embedded SQLite file in the data dir, or a
 * comma-separated list of {@code http://} / {@code https://} etcd client URLs.
 */
public sealed interface StoreEndpoint {

  /** The embedded store: one SQLite file. */
  record Embedded(Path file) implements StoreEndpoint {
    public Embedded {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String describe() {
      return "embedded SQLite at " + file;
    }
  }

  /** An etcd cluster reached through its client URLs. */
  record Etcd(List<URI> endpoints) implements StoreEndpoint {
    public Etcd {
      endpoints = List.copyOf(endpoints);
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("an etcd endpoint list must not be empty");
      }
    }

    @Override
    public String describe() {
      return "etcd at " + String.join(",", endpoints.stream().map(URI::toString).toList());
    }
  }

  /** One line for logs and the user. */
  String describe();

  /** The file of the embedded store under a data dir. */
  static Path embeddedFile(Path dataDir) {
    return dataDir.resolve("server").resolve("db").resolve("state.db");
  }

  /**
   * Reads a {@code --datastore-endpoint} value.
   *
   * @throws IllegalArgumentException with a message that names the accepted forms
   */
  static StoreEndpoint parse(String spec, Path dataDir) {
    if (spec == null || spec.isBlank() || spec.equals("sqlite")) {
      return new Embedded(embeddedFile(dataDir));
    }
    List<URI> uris = new ArrayList<>();
    for (String part : spec.split(",")) {
      String s = part.strip();
      try {
        URI uri = new URI(s);
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!http || uri.getHost() == null || uri.getPort() < 0) {
          throw new URISyntaxException(s, "not an http(s)://host:port URL");
        }
        uris.add(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "--datastore-endpoint '"
                + spec
                + "' is not understood: use 'sqlite' (the default, a file in the data dir) or"
                + " etcd client URLs such as http://127.0.0.1:2379[,http://127.0.0.1:22379]",
            e);
      }
    }
    return new Etcd(uris);
  }
}
