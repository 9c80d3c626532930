package dev.skiff.kubelet.server;

import dev.skiff.kubelet.cri.RuntimeService;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTPS server (upstream pkg/kubelet/server): container logs, exec, attach and
 * port-forward for the API server, and {@code /healthz}. TLS with the node's serving certificate;
 * only clients whose certificate the configured CA signed get through the handshake (the API
 * server's kubelet-client identity). HTTP/1.1 only: every streaming request is a WebSocket
 * upgrade. Requests run on virtual threads. {@link #close()} stops it.
 */
public final class KubeletServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
  /** Sessions (exec shells, port-forwards, followed logs) may be idle for long. */
  private static final Duration IDLE_TIMEOUT = Duration.ofHours(4);

  private final Server jetty;
  private final int port;

  /** Starts serving; the port is bound when this returns. */
  public KubeletServer(KubeletServerConfig config, RuntimeService runtime) throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(runtime, "runtime");
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("kubelet-server");
    threads.setVirtualThreadsExecutor(
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubelet-http-", 0).factory()));
    jetty = new Server(threads);
    try {
      SslContextFactory.Server tls = tls(config);
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      HttpConnectionFactory http1 = new HttpConnectionFactory(http);
      ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, http1.getProtocol()), http1);
      connector.setHost(config.bindAddress());
      connector.setPort(config.port());
      connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      jetty.addConnector(connector);
      jetty.setStopTimeout(2000);
      ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(jetty);
      webSockets.setIdleTimeout(IDLE_TIMEOUT);
      webSockets.setMaxBinaryMessageSize(16L * 1024 * 1024);
      jetty.setHandler(new KubeletHandler(runtime, webSockets));
      jetty.start();
      this.port = ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
    } catch (IOException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IOException("kubelet server failed to start: " + e.getMessage(), e);
    }
    LOG.info("kubelet server listening on https://{}:{}", config.bindAddress(), port);
  }

  private static SslContextFactory.Server tls(KubeletServerConfig config) throws Exception {
    List<X509Certificate> chain = PemFiles.certificates(config.certificateFile());
    char[] password = UUID.randomUUID().toString().toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("serving", PemFiles.privateKey(config.keyFile()), password, chain.toArray(new Certificate[0]));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    List<X509Certificate> cas = PemFiles.certificates(config.clientCaFile());
    for (int i = 0; i < cas.size(); i++) {
      trust.setCertificateEntry("ca-" + i, cas.get(i));
    }
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(keys);
    tls.setKeyStorePassword(new String(password));
    tls.setTrustStore(trust);
    tls.setNeedClientAuth(true);
    tls.setSniRequired(false);
    return tls;
  }

  /** The bound port (the configured one, or the one picked for port 0). */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("stopping the kubelet server failed: {}", e.toString());
    }
  }
}
