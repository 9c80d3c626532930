package dev.skiff.apiserver.http;

import dev.skiff.apiserver.pki.Credential;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the Jetty server: one TLS connector speaking HTTP/2 (negotiated with ALPN, as Go clients
 * prefer) and HTTP/1.1, asking for (not requiring) client certificates from the trusted CAs, and
 * running handlers on virtual threads.
 */
public final class HttpsServer {
  /** Watches stay open for up to 30 minutes without traffic; connections must outlive them. */
  private static final long IDLE_TIMEOUT_MS = 3_600_000;

  private HttpsServer() {}

  /** The server, without a handler yet: set one with {@link Server#setHandler} before starting. */
  public static Server create(String bindAddress, int port, Credential serving, List<X509Certificate> clientCas)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("apiserver");
    threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory()));
    Server server = new Server(threads);

    char[] password = UUID.randomUUID().toString().toCharArray();
    // In memory only: JKS protects the key cheaply, PKCS12 runs 10,000 PBKDF2 rounds on store and
    // again on read (10-15% of the CPU to /readyz).
    KeyStore keys = KeyStore.getInstance("JKS");
    keys.load(null, null);
    keys.setKeyEntry("serving", serving.key(), password, new Certificate[] {serving.certificate()});
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < clientCas.size(); i++) {
      trust.setCertificateEntry("ca-" + i, clientCas.get(i));
    }
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(keys);
    tls.setKeyStorePassword(new String(password));
    tls.setTrustStore(trust);
    tls.setWantClientAuth(true);
    tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
    tls.setSniRequired(false);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);

    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    h2.setStreamIdleTimeout(IDLE_TIMEOUT_MS);
    h2.setMaxConcurrentStreams(1000);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http1.getProtocol());
    SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());

    ServerConnector connector = new ServerConnector(server, ssl, alpn, h2, http1);
    connector.setHost(bindAddress);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    server.setStopTimeout(2000);
    return server;
  }
}
