package dev.skiff.bench.api;

import dev.skiff.bench.Latency;
import dev.skiff.bench.LatencyRecorder;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 3's API workloads against one server process, each bounded in count and time: creates by
 * concurrent HTTPS clients, a list of many pods, and write-to-watch delay to many watchers.
 */
final class ApiWorkloads {
  record Throughput(int clients, int operations, double seconds, double p50Millis, double p99Millis) {
    double perSecond() {
      return operations / seconds;
    }
  }


  private final ServerProcess server;
  private final Duration timeLimit;

  ApiWorkloads(ServerProcess server, Duration timeLimit) {
    this.server = server;
    this.timeLimit = timeLimit;
  }

  void createNamespace(String name) throws Exception {
    HttpClient client = server.newClient();
    HttpResponse<String> r = client.send(server.request("/api/v1/namespaces")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    check(r.statusCode() == 201, "namespace create: " + r.statusCode() + " " + r.body());
    if (!server.controllers()) {
      // no controller manager to make it: pod admission needs the default ServiceAccount
      HttpResponse<String> sa = client.send(server.request("/api/v1/namespaces/" + name + "/serviceaccounts")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      check(sa.statusCode() == 201, "ServiceAccount create: " + sa.statusCode() + " " + sa.body());
    }
    // pods are refused until the controller manager has made the namespace's default ServiceAccount
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (client.send(server.request("/api/v1/namespaces/" + name + "/serviceaccounts/default").GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
      check(System.nanoTime() < deadline, "no default ServiceAccount in namespace " + name + " after 120 s");
      Thread.sleep(50);
    }
  }

  /** {@code total} creates of small ConfigMaps by {@code clients} concurrent HTTPS clients. */
  Throughput createConfigMaps(String namespace, int clients, int total) throws Exception {
    return creates(clients, total, "/api/v1/namespaces/" + namespace + "/configmaps",
        i -> "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i
            + "\"},\"data\":{\"key\":\"value-" + i + "\"}}");
  }

  /** {@code total} creates of one-container pods by {@code clients} concurrent HTTPS clients. */
  Throughput createPods(String namespace, int clients, int total) throws Exception {
    return creates(clients, total, "/api/v1/namespaces/" + namespace + "/pods",
        i -> "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + i
            + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
            + "\"image\":\"docker.io/skiff/busybox:1.35\",\"resources\":{\"requests\":"
            + "{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}");
  }

  /**
   * {@code total} pods/binding writes (what a scheduler sends) by {@code clients} concurrent HTTPS clients, to
   * pods {@code pod-0}... that {@link #createPods} made; the node need not exist, as upstream's binding does not check.
   */
  Throughput bindPods(String namespace, int clients, int total) throws Exception {
    return writes(clients, total, i -> "/api/v1/namespaces/" + namespace + "/pods/pod-" + i + "/binding",
        i -> "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"pod-" + i
            + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"bench-node-" + (i % 100) + "\"}}");
  }

  /** Times full lists of a collection, without and with paging (limit 500). */
  record ListTimes(Latency full, Latency paged) {}

  ListTimes lists(String path, int expected, int repetitions) throws Exception {
    HttpClient client = server.newClient();
    LatencyRecorder full = new LatencyRecorder(repetitions);
    LatencyRecorder paged = new LatencyRecorder(repetitions);
    Pattern continueToken = Pattern.compile("\"continue\":\"([^\"]+)\"");
    for (int r = 0; r < repetitions; r++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> all = client.send(server.request(path).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      full.record(System.nanoTime() - start);
      check(all.statusCode() == 200, "list: " + all.statusCode());
      check(count(all.body()) >= expected, "list returned fewer than " + expected);

      start = System.nanoTime();
      String token = null;
      do {
        String page = path + "?limit=500"
            + (token == null ? "" : "&continue=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
        HttpResponse<String> p = client.send(server.request(page).build(),
            HttpResponse.BodyHandlers.ofString());
        check(p.statusCode() == 200, "paged list: " + p.statusCode() + " " + p.body());
        Matcher m = continueToken.matcher(p.body());
        token = m.find() ? m.group(1) : null;
      } while (token != null);
      paged.record(System.nanoTime() - start);
    }
    return new ListTimes(Latency.of(full), Latency.of(paged));
  }

  /**
   * Write-to-watch delays, with what the fan-out adds: per write, the delay to its first watcher
   * (the write, the cache's dispatch and one delivery) and to its last (plus the fan-out to every
   * watcher and the readers' own turn), and what each JVM spent per write delivered to all, counted
   * from the last watch opened to the last event received: CPU, and the server's write system calls
   * per event delivered (1 means no two watchers' frames shared a socket write).
   */
  record WatchDelivery(Latency all, Latency first, Latency last, double serverCpuMillisPerWrite,
      double clientCpuMillisPerWrite, double serverWritesPerEvent, long serverSockets) {}

  /**
   * Opens {@code watchers} watches on a namespace's ConfigMaps, then creates {@code writes}
   * ConfigMaps at {@code writesPerSecond}, each carrying its send time; reports the delay from
   * send to arrival at each watcher. Each watcher reads its stream to the end of every frame and
   * finds the stamp by scanning bytes ({@link SentAtScanner}).
   */
  WatchDelivery watchDelivery(String namespace, int watchers, int writes, int writesPerSecond)
      throws Exception {
    LatencyRecorder delays = new LatencyRecorder(watchers * writes);
    String path = "/api/v1/namespaces/" + namespace + "/configmaps";
    HttpClient writer = server.newClient();
    HttpResponse<String> list = writer.send(server.request(path).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher rv = Pattern.compile("\"resourceVersion\":\"(\\d+)\"").matcher(list.body());
    check(rv.find(), "no resourceVersion in list");
    String fromRv = rv.group(1);
    // per write (by its stamp): the earliest and the latest arrival at a watcher
    Map<Long, AtomicLongArray> arrivals = new ConcurrentHashMap<>();
    // HTTP/2 multiplexes streams; spread watchers over several connections as real clients do.
    List<HttpClient> clients = new ArrayList<>();
    for (int i = 0; i < Math.max(1, watchers / 50); i++) {
      HttpClient client = server.newClient();
      // One request first: the JDK client opens a new connection for each request sent before its
      // first HTTP/2 connection is up, so 50 watches opened at once would use up to 50 connections.
      client.send(server.request(path + "?limit=1").build(), HttpResponse.BodyHandlers.discarding());
      clients.add(client);
    }
    CountDownLatch opened = new CountDownLatch(watchers);
    CountDownLatch finished = new CountDownLatch(watchers);
    AtomicInteger failures = new AtomicInteger();
    List<InputStream> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
    long clientCpu;
    long serverCpu;
    long serverWrites;
    long sockets;
    try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < watchers; w++) {
        HttpClient client = clients.get(w % clients.size());
        readers.submit(() -> {
          try {
            HttpResponse<InputStream> r = client.send(server.request(path + "?watch=1&resourceVersion=" + fromRv)
                .timeout(timeLimit).build(), HttpResponse.BodyHandlers.ofInputStream());
            bodies.add(r.body());
            opened.countDown();
            try (InputStream in = r.body()) {
              new SentAtScanner(in).scan(writes, sentAt -> {
                if (sentAt >= 0) {
                  long delay = System.nanoTime() - sentAt;
                  delays.record(delay);
                  AtomicLongArray a = arrivals.get(sentAt);
                  if (a != null) {
                    a.accumulateAndGet(0, delay, Math::min);
                    a.accumulateAndGet(1, delay, Math::max);
                  }
                }
              });
            }
          } catch (Exception e) {
            failures.incrementAndGet();
            opened.countDown();
          } finally {
            finished.countDown();
          }
          return null;
        });
      }
      check(opened.await(timeLimit.toSeconds(), TimeUnit.SECONDS), "watches did not open");
      Thread.sleep(500); // let every stream reach the server's watch loop
      sockets = server.openSockets();
      clientCpu = processCpuNanos();
      serverCpu = server.cpuMillis();
      serverWrites = server.writeSyscalls();
      long interval = 1_000_000_000L / writesPerSecond;
      long next = System.nanoTime();
      for (int i = 0; i < writes; i++) {
        while (System.nanoTime() < next) {
          Thread.sleep(0, 200_000);
        }
        next += interval;
        long sentAt = System.nanoTime();
        arrivals.put(sentAt, new AtomicLongArray(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}));
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"w-" + i
            + "\"},\"data\":{\"sentAt\":\"" + sentAt + "\"}}";
        HttpResponse<String> r = writer.send(server.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        check(r.statusCode() == 201, "create: " + r.statusCode() + " " + r.body());
      }
      boolean done = finished.await(timeLimit.toSeconds(), TimeUnit.SECONDS);
      clientCpu = processCpuNanos() - clientCpu;
      serverCpu = server.cpuMillis() - serverCpu;
      serverWrites = server.writeSyscalls() - serverWrites;
      if (!done) {
        for (InputStream b : bodies) {
          b.close();
        }
      }
      check(failures.get() == 0, failures.get() + " watchers failed");
      check(done, "watchers did not see every write within " + timeLimit);
      readers.shutdownNow();
    }
    LatencyRecorder first = new LatencyRecorder(writes);
    LatencyRecorder last = new LatencyRecorder(writes);
    for (AtomicLongArray a : arrivals.values()) {
      first.record(a.get(0));
      last.record(a.get(1));
    }
    return new WatchDelivery(Latency.of(delays), Latency.of(first), Latency.of(last), serverCpu / (double) writes,
        clientCpu / 1e6 / writes, serverWrites / (double) Math.max(1, delays.count()), sockets);
  }

  /** CPU time of this JVM (every thread, user + system), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private interface Body {
    String of(int index);
  }

  private Throughput creates(int clients, int total, String path, Body body) throws Exception {
    return writes(clients, total, i -> path, body);
  }

  /** {@code total} POSTs answered 201, the i-th to {@code path.of(i)}, by {@code clients} concurrent clients. */
  private Throughput writes(int clients, int total, Body path, Body body) throws Exception {
    LatencyRecorder latency = new LatencyRecorder(total);
    AtomicInteger next = new AtomicInteger();
    long deadline = System.nanoTime() + timeLimit.toNanos();
    List<HttpClient> connections = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      connections.add(server.newClient());
    }
    CountDownLatch go = new CountDownLatch(1);
    long start;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (HttpClient client : connections) {
        futures.add(pool.submit(() -> {
          go.await();
          int i;
          while ((i = next.getAndIncrement()) < total && System.nanoTime() < deadline) {
            long t = System.nanoTime();
            HttpResponse<Void> r = client.send(server.request(path.of(i))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.of(i))).build(),
                HttpResponse.BodyHandlers.discarding());
            latency.record(System.nanoTime() - t);
            check(r.statusCode() == 201, "write returned " + r.statusCode());
          }
          return null;
        }));
      }
      start = System.nanoTime();
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Throughput(clients, latency.count(), seconds,
        latency.percentileMillis(50), latency.percentileMillis(99));
  }

  private static int count(byte[] json) {
    // Items of a list each carry one "uid"; counting them avoids parsing 10,000 objects.
    String s = new String(json, StandardCharsets.UTF_8);
    int n = 0;
    for (int i = s.indexOf("\"uid\""); i >= 0; i = s.indexOf("\"uid\"", i + 1)) {
      n++;
    }
    return n;
  }


  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
