package dev.skiff.apiserver.testing;

import dev.skiff.apiserver.pki.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A raw HTTPS client for tests that need to see status codes and bodies exactly: trusts the
 * cluster CA and presents the admin client certificate unless built anonymous.
 */
public final class ApiClient {
  private final HttpClient http;
  private final String base;

  private ApiClient(HttpClient http, String base) {
    this.http = http;
    this.base = base;
  }

  /** @param tlsDir the server's {@code DATA_DIR/tls} */
  public static ApiClient of(Path tlsDir, int port, boolean withAdminCert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Credential.readCertificates(Files.readString(tlsDir.resolve("ca.crt"))).getFirst());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (withAdminCert) {
      Credential admin = Credential.read(tlsDir, "admin");
      keys.setKeyEntry("admin", admin.key(), new char[0], new Certificate[] {admin.certificate()});
    }
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    return new ApiClient(http, "https://127.0.0.1:" + port);
  }

  public HttpResponse<String> send(String method, String path, String contentType, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, null, null, headers);
  }

  /** A GET whose body is kept as bytes (protobuf); {@code headers} are name, value pairs. */
  public HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Opens a streaming GET (for watches); the caller reads lines and closes the stream. */
  public HttpResponse<java.util.stream.Stream<String>> stream(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofLines());
  }
}
