package dev.skiff.bench.api;

import dev.skiff.bench.api.ApiBenchmark.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Issue 3's floors for creates, each under h2load (64 TLS + HTTP/2 connections, one request in flight each), a
 * client that costs far less per request than the JDK's HttpClient:
 * <ul>
 *   <li>the stack's floor: {@link BareJetty}, the API server's Jetty settings with a Jackson echo handler;
 *   <li>the server with a near-free client: POSTs of a small ConfigMap, a one-container pod and a scheduler's
 *       event with {@code metadata.generateName} (one body for every request), bearer-token authentication.
 * </ul>
 * Each reports requests/s, latency p50/p99 (from h2load's per-request log), the serving JVM's CPU per request and
 * h2load's own CPU per request. A warm-up run of a quarter of the count goes first (JIT). {@code --quick} divides
 * the counts by 4 only (not 10): smaller runs measure the JIT more than the request path.
 */
final class Floors {
  private static final int CLIENTS = 64;
  private static final Duration TIME_LIMIT = Duration.ofSeconds(120);
  static final String CONFIG_MAP = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":"
      + "\"h2-\"},\"data\":{\"key\":\"value\"}}";
  static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"h2-\","
      + "\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":"
      + "\"docker.io/skiff/busybox:1.35\",\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";

  /** What the scheduler records per pod placed (issue 4: 1,000 pods/s means 1,000 of these per second). */
  static final String EVENT = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"generateName\":\"h2-\"},"
      + "\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"namespace\":\"bench\",\"name\":\"pod-0\"},"
      + "\"reason\":\"Scheduled\",\"message\":\"Successfully assigned bench/pod-0 to node-1\",\"type\":\"Normal\","
      + "\"source\":{\"component\":\"default-scheduler\"},\"reportingComponent\":\"default-scheduler\"}";

  private Floors() {}

  /** The bare Jetty + Jackson floor, served by this JVM (so this JVM's CPU over the run is the stack's). */
  static List<Row> bareJetty(Path dir, int scale) throws Exception {
    requireH2Load();
    Files.createDirectories(dir);
    H2Load h2load = new H2Load(dir, TIME_LIMIT);
    try (BareJetty jetty = BareJetty.start(dir)) {
      int total = 40_000 / divisor(scale);
      h2load.post(jetty.uri("/echo"), null, CONFIG_MAP, CLIENTS, total / 4, 201);
      long cpu = ServerProcess.cpuMillis("self");
      H2Load.Result r = h2load.post(jetty.uri("/echo"), null, CONFIG_MAP, CLIENTS, total, 201);
      return List.of(new Row("floor: bare Jetty (ApiServer's HttpsServer) + Jackson echo, h2load " + CLIENTS
          + " clients", result(r, ServerProcess.cpuMillis("self") - cpu, "JVM")));
    }
  }

  /** ConfigMap and pod creates by h2load against the server (namespaces {@code cms} and {@code bench} exist). */
  static List<Row> serverCreates(ServerProcess server, Path dir, int scale) throws Exception {
    requireH2Load();
    Files.createDirectories(dir);
    H2Load h2load = new H2Load(dir, TIME_LIMIT);
    String configMaps = "/api/v1/namespaces/cms/configmaps";
    int total = 20_000 / divisor(scale);
    h2load.post(server.uri(configMaps), ServerProcess.TOKEN, CONFIG_MAP, CLIENTS, total / 4, 201);
    long cpu = server.cpuMillis();
    H2Load.Result cms = h2load.post(server.uri(configMaps), ServerProcess.TOKEN, CONFIG_MAP, CLIENTS, total, 201);
    Row cmRow = new Row("floor: ConfigMap creates by h2load, " + CLIENTS + " clients (generateName)",
        result(cms, server.cpuMillis() - cpu, "server"));
    cpu = server.cpuMillis();
    H2Load.Result pods = h2load.post(server.uri("/api/v1/namespaces/bench/pods"), ServerProcess.TOKEN, POD, CLIENTS,
        10_000 / divisor(scale), 201);
    Row podRow = new Row("floor: pod creates by h2load, " + CLIENTS + " clients (generateName)",
        result(pods, server.cpuMillis() - cpu, "server"));
    cpu = server.cpuMillis();
    H2Load.Result events = h2load.post(server.uri("/api/v1/namespaces/bench/events"), ServerProcess.TOKEN, EVENT,
        CLIENTS, 10_000 / divisor(scale), 201);
    Row eventRow = new Row("floor: event creates by h2load, " + CLIENTS + " clients (generateName)",
        result(events, server.cpuMillis() - cpu, "server"));
    return List.of(cmRow, podRow, eventRow);
  }

  private static String result(H2Load.Result r, long serverCpuMillis, String server) {
    return String.format(Locale.ROOT,
        "**%,.0f/s** (%d of %d answered 201 in %.2f s; latency p50 %.1f ms, p99 %.1f ms); %s CPU %.3f ms/req;"
            + " h2load CPU %.3f ms/req; %s",
        r.perSecond(), r.ok(), r.requests(), r.seconds(), r.p50Millis(), r.p99Millis(), server,
        serverCpuMillis / (double) r.requests(), r.clientCpuMillis() / (double) r.requests(), r.cipher());
  }

  private static int divisor(int scale) {
    return scale == 1 ? 1 : 4;
  }

  private static void requireH2Load() {
    if (!H2Load.available()) {
      throw new IllegalStateException("h2load is not on PATH: apt-get install -y nghttp2-client");
    }
  }
}
