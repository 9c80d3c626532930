package dev.skiff.kubelet.pods;

import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.CriException;
import dev.skiff.kubelet.cri.ExecResult;
import dev.skiff.kubelet.prober.ProbeTarget;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a container's postStart and preStop hooks (upstream's pkg/kubelet/lifecycle handler
 * runner): exec through CRI ExecSync (a non-zero exit fails), httpGet to the pod's IP (only a
 * request that cannot be made fails; the status code is not judged, as upstream), and sleep. Each
 * run is bounded by the time it is given. Thread-safe.
 */
final class LifecycleHooks implements AutoCloseable {
  private final CriConnection cri;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

  LifecycleHooks(CriConnection cri) {
    this.cri = Objects.requireNonNull(cri, "cri");
  }

  /**
   * Runs {@code handler} for container {@code c} (runtime id {@code containerId}) of {@code pod}.
   *
   * @return the failure message, upstream-worded, or empty when the hook succeeded
   */
  Optional<String> run(Pod pod, Container c, String containerId, String podIp, LifecycleHandler handler,
      Duration limit) {
    String podName = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
        + pod.getMetadata().getUid() + ")";
    if (handler.getExec() != null) {
      var command = handler.getExec().getCommand();
      try {
        ExecResult r = cri.runtime().execSync(containerId, command, limit);
        if (r.exitCode() == 0) {
          return Optional.empty();
        }
        String output = new String(r.stdout(), StandardCharsets.UTF_8) + new String(r.stderr(), StandardCharsets.UTF_8);
        return Optional.of("Exec lifecycle hook (%s) for Container \"%s\" in Pod \"%s\" failed - error: command '%s' exited with %d: , message: \"%s\""
            .formatted(command, c.getName(), podName, String.join(" ", command), r.exitCode(), output.strip()));
      } catch (CriException e) {
        return Optional.of("Exec lifecycle hook (%s) for Container \"%s\" in Pod \"%s\" failed - error: %s, message: \"\""
            .formatted(command, c.getName(), podName, e.getMessage()));
      }
    }
    if (handler.getHttpGet() != null) {
      var action = handler.getHttpGet();
      String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
      try {
        if (podIp.isEmpty()) {
          throw new IOException("pod has no IP");
        }
        int port = new ProbeTarget(c, containerId, podIp).port(action.getPort());
        String scheme = "HTTPS".equalsIgnoreCase(action.getScheme()) ? "https" : "http";
        var request = HttpRequest.newBuilder(URI.create(scheme + "://" + podIp + ":" + port
            + (path.startsWith("/") ? path : "/" + path))).timeout(limit).GET();
        if (action.getHttpHeaders() != null) {
          action.getHttpHeaders().stream().filter(h -> !h.getName().equalsIgnoreCase("Host"))
              .forEach(h -> request.setHeader(h.getName(), h.getValue()));
        }
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        return Optional.empty();
      } catch (IOException | IllegalArgumentException e) {
        return Optional.of("HTTP lifecycle hook (%s) for Container \"%s\" in Pod \"%s\" failed - error: %s"
            .formatted(path, c.getName(), podName, e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted");
      }
    }
    if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
      Duration pause = Duration.ofSeconds(handler.getSleep().getSeconds());
      try {
        Thread.sleep(pause.compareTo(limit) < 0 ? pause : limit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
    if (handler.getTcpSocket() != null) {
      // deprecated for hooks and never run by upstream's kubelet
      return Optional.empty();
    }
    return Optional.of("Cannot run handler: invalid handler: " + handler);
  }

  @Override
  public void close() {
    http.close();
  }
}
