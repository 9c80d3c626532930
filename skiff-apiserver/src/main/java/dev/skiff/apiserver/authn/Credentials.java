package dev.skiff.apiserver.authn;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a request presented to prove who it is.
 *
 * @param clientCertificates the TLS client certificate chain, leaf first; empty if none
 * @param bearerToken the token of an {@code Authorization: Bearer} header
 */
public record Credentials(List<X509Certificate> clientCertificates, Optional<String> bearerToken) {
  public Credentials {
    clientCertificates = List.copyOf(clientCertificates);
  }
}
