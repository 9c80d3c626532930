package dev.skiff.kubelet.prober;

import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.CriException;
import dev.skiff.kubelet.cri.ExecResult;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs a probe's action once (upstream's pkg/probe/{exec,http,tcp,grpc}): exec through CRI
 * ExecSync (exit 0 passes), httpGet (2xx and 3xx pass; redirects are not followed; https does not
 * verify the certificate, as upstream), tcpSocket (a connection passes), grpc (grpc.health.v1
 * Health/Check answering SERVING passes). Each run is bounded by the probe's timeoutSeconds. As
 * upstream, a probe that cannot run (no handler, a port name the container lacks, a runtime error
 * other than a timeout) gives an error outcome, not a failure; connection errors are failures.
 *
 * <p>Network probes go to the pod's IP only: an httpGet {@code host} is ignored (it could point
 * anywhere, and Skiff's nodes talk to nothing but their pods). Owns two HTTP clients; thread-safe.
 */
final class ProbeActions implements AutoCloseable {

  private static final String USER_AGENT = "kube-probe/1.32";

  private final CriConnection cri;
  private final HttpClient http;
  private final HttpClient https;

  ProbeActions(CriConnection cri) {
    this.cri = Objects.requireNonNull(cri, "cri");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    this.https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAll())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  }

  ProbeOutcome run(Probe probe, ProbeTarget target) {
    Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1 ? 1
        : probe.getTimeoutSeconds());
    try {
      if (probe.getExec() != null) {
        return exec(probe.getExec().getCommand(), target, timeout);
      }
      if (probe.getHttpGet() != null) {
        return httpGet(probe.getHttpGet(), target, timeout);
      }
      if (probe.getTcpSocket() != null) {
        return tcp(target.podIp(), target.port(probe.getTcpSocket().getPort()), timeout);
      }
      if (probe.getGrpc() != null) {
        return GrpcHealthCheck.check(target.podIp(), probe.getGrpc().getPort(),
            probe.getGrpc().getService() == null ? "" : probe.getGrpc().getService(), timeout);
      }
      return ProbeOutcome.error("missing probe handler for container " + target.container().getName());
    } catch (IllegalArgumentException e) {
      // upstream: a port that does not resolve is an error, not a failure
      return ProbeOutcome.error(e.getMessage());
    }
  }

  private ProbeOutcome exec(java.util.List<String> command, ProbeTarget target, Duration timeout) {
    try {
      ExecResult r = cri.runtime().execSync(target.containerId(), command, timeout);
      if (r.exitCode() == 0) {
        return ProbeOutcome.success();
      }
      String output = new String(r.stdout(), StandardCharsets.UTF_8) + new String(r.stderr(), StandardCharsets.UTF_8);
      return ProbeOutcome.failure("command " + command + " exited with " + r.exitCode()
          + (output.isBlank() ? "" : ": " + output.strip()));
    } catch (CriException e) {
      // upstream's exec prober: a timeout fails the probe; any other runtime error is an error
      if (e.code() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
        return ProbeOutcome.failure("command " + command + " timed out");
      }
      return ProbeOutcome.error("command " + command + " could not run: " + e.getMessage());
    }
  }

  private ProbeOutcome httpGet(io.fabric8.kubernetes.api.model.HTTPGetAction action, ProbeTarget target,
      Duration timeout) {
    if (target.podIp().isEmpty()) {
      return ProbeOutcome.failure("pod has no IP");
    }
    boolean secure = "HTTPS".equalsIgnoreCase(action.getScheme());
    String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    URI uri = URI.create((secure ? "https" : "http") + "://" + target.podIp() + ":" + target.port(action.getPort())
        + path);
    var request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("User-Agent", USER_AGENT).header("Accept", "*/*");
    if (action.getHttpHeaders() != null) {
      for (var h : action.getHttpHeaders()) {
        if (h.getName().equalsIgnoreCase("Host")) {
          continue; // java.net.http refuses to set Host
        }
        request.setHeader(h.getName(), h.getValue());
      }
    }
    try {
      HttpResponse<Void> response = (secure ? https : http).send(request.build(), HttpResponse.BodyHandlers.discarding());
      int code = response.statusCode();
      return code >= 200 && code < 400 ? ProbeOutcome.success()
          : ProbeOutcome.failure("HTTP probe failed with statuscode: " + code);
    } catch (IOException e) {
      return ProbeOutcome.failure("Get \"" + uri + "\": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeOutcome.failure("interrupted");
    }
  }

  private static ProbeOutcome tcp(String ip, int port, Duration timeout) {
    if (ip.isEmpty()) {
      return ProbeOutcome.failure("pod has no IP");
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
      return ProbeOutcome.success();
    } catch (IOException e) {
      return ProbeOutcome.failure("dial tcp " + ip + ":" + port + ": " + e.getMessage());
    }
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("no TLS context", e);
    }
  }

  @Override
  public void close() {
    http.close();
    https.close();
  }
}
