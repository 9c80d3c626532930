package dev.skiff.apiserver.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.authn.AuthenticationResult;
import dev.skiff.apiserver.authn.ClientCertificateAuthenticator;
import dev.skiff.apiserver.authn.Credentials;
import dev.skiff.apiserver.authn.UserInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
  @TempDir Path dir;

  @Test
  void restartReusesCertificatesAndReissuesServingForANewBindAddress() throws Exception {
    ClusterPki first = ClusterPki.loadOrCreate(dir, "0.0.0.0");
    ClusterPki again = ClusterPki.loadOrCreate(dir, "0.0.0.0");
    assertThat(again.ca().credential().certificate()).isEqualTo(first.ca().credential().certificate());
    assertThat(again.serving().certificate()).isEqualTo(first.serving().certificate());
    assertThat(again.admin().certificate()).isEqualTo(first.admin().certificate());
    assertThat(first.serving().certificate().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
        .contains("localhost", "127.0.0.1", "kubernetes.default.svc.cluster.local", "10.43.0.1");

    ClusterPki moved = ClusterPki.loadOrCreate(dir, "127.0.0.2");
    assertThat(moved.ca().credential().certificate()).isEqualTo(first.ca().credential().certificate());
    assertThat(moved.serving().certificate()).isNotEqualTo(first.serving().certificate());
    assertThat(moved.serving().certificate().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
        .contains("127.0.0.2");
  }

  @Test
  void adminCertificateAuthenticatesAsSystemAdmin() {
    ClusterPki pki = ClusterPki.loadOrCreate(dir, "127.0.0.1");
    ClientCertificateAuthenticator a = new ClientCertificateAuthenticator(List.of(pki.ca().credential().certificate()));
    assertThat(a.authenticate(new Credentials(List.of(pki.admin().certificate()), Optional.empty())))
        .isEqualTo(new AuthenticationResult.Authenticated(new UserInfo("system:admin", "", List.of("system:masters"))));
    CertificateAuthority other = CertificateAuthority.createRoot("other");
    Credential foreign = other.issueClient("mallory", List.of("system:masters"));
    assertThat(a.authenticate(new Credentials(List.of(foreign.certificate()), Optional.empty())))
        .isInstanceOf(AuthenticationResult.Rejected.class);
  }
}
