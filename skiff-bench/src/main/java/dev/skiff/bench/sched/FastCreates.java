package dev.skiff.bench.sched;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Creates objects as fast as the API server takes them, as scheduler_perf's high-QPS client does:
 * every body is encoded before the clock starts, and the POSTs go out over several HTTP/2
 * connections (one per client) with many streams in flight on each, so neither JSON encoding nor
 * one connection's window is what limits the rate.
 */
final class FastCreates {
  private final List<KubernetesClient> clients;
  private final int inFlight;

  /**
   * @param clients one connection each; the benchmark closes them
   * @param inFlight requests outstanding at once, over all connections
   */
  FastCreates(List<KubernetesClient> clients, int inFlight) {
    this.clients = List.copyOf(clients);
    this.inFlight = inFlight;
  }

  /** The JSON of {@code count} objects, encoded now so that creating them costs no encoding. */
  static List<byte[]> encode(KubernetesClient client, int count, IntFunction<? extends HasMetadata> object) {
    List<byte[]> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      bodies.add(client.getKubernetesSerialization().asJson(object.apply(i)).getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  /**
   * POSTs body {@code i} to {@code path} (relative to the server, e.g. {@code api/v1/namespaces/x/pods})
   * for every i; {@code startedAt[i]} and {@code doneAt[i]} get the monotonic times around request i.
   * Throws on the first refused request.
   */
  void run(String path, List<byte[]> bodies, long[] startedAt, long[] doneAt) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>(inFlight);
    for (int t = 0; t < inFlight; t++) {
      KubernetesClient client = clients.get(t % clients.size());
      HttpClient http = client.getHttpClient();
      String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/" + path;
      threads.add(Thread.ofVirtual().name("bench-create-" + t).start(() -> {
        for (int i = next.getAndIncrement(); i < bodies.size() && failure.get() == null; i = next.getAndIncrement()) {
          HttpRequest request = http.newHttpRequestBuilder().uri(url).post("application/json", bodies.get(i)).build();
          startedAt[i] = System.nanoTime();
          try {
            HttpResponse<byte[]> response = send(http, request);
            doneAt[i] = System.nanoTime();
            if (response.code() != 201 && response.code() != 409) {
              failure.compareAndSet(null, new IllegalStateException("create " + i + " answered " + response.code()
                  + ": " + new String(response.body(), StandardCharsets.UTF_8)));
            }
          } catch (ExecutionException e) {
            failure.compareAndSet(null, new IllegalStateException("create " + i + " failed", e.getCause()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /**
   * Sends, again when the connection broke under the request (the JDK client may pick an HTTP/2
   * connection the loaded server has just closed); a 409 then means the first try landed.
   */
  private static HttpResponse<byte[]> send(HttpClient http, HttpRequest request)
      throws ExecutionException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return http.sendAsync(request, byte[].class).get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof java.io.IOException) || attempt == 3) {
          throw e;
        }
      }
    }
  }
}
