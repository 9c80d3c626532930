package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.WriteResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link KillDurabilityTest}: writes from several threads in a bounded loop
 * and prints {@code ack <key> <revision>} for every write the store acknowledged, until it is
 * killed. Arguments: the database file, the writer count, the most writes per writer.
 */
public final class DurabilityChild {
  private DurabilityChild() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int writers = Integer.parseInt(args[1]);
    int perWriter = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SqliteStore store = SqliteStore.open(file);
    out.println("ready");
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < perWriter; i++) {
          String key = "w" + id + "/" + i;
          WriteResult r = store.create(Bytes.of(key), Bytes.of("value-" + key));
          synchronized (out) {
            out.println("ack " + key + " " + r.revision());
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    out.println("done");
    store.close();
  }
}
