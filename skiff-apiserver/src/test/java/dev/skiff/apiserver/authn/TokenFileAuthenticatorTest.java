package dev.skiff.apiserver.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenFileAuthenticatorTest {
  private static AuthenticationResult auth(TokenFileAuthenticator a, String token) {
    return a.authenticate(new Credentials(List.of(), Optional.ofNullable(token)));
  }

  @Test
  void readsUpstreamCsvWithQuotedGroups() {
    TokenFileAuthenticator a = TokenFileAuthenticator.parse("""
        # comment
        t1,alice,uid-1,"dev,ops"
        t2,bob,uid-2
        """);
    assertThat(auth(a, "t1")).isEqualTo(new AuthenticationResult.Authenticated(
        new UserInfo("alice", "uid-1", List.of("dev", "ops"))));
    assertThat(auth(a, "t2")).isEqualTo(new AuthenticationResult.Authenticated(new UserInfo("bob", "uid-2", List.of())));
    assertThat(auth(a, "nope")).isInstanceOf(AuthenticationResult.Rejected.class);
    assertThat(auth(a, null)).isInstanceOf(AuthenticationResult.NoCredentials.class);
    assertThatThrownBy(() -> TokenFileAuthenticator.parse("only,two")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unionAddsTheAuthenticatedGroup() {
    UnionAuthenticator u = new UnionAuthenticator(List.of(TokenFileAuthenticator.parse("t,carol,u")));
    assertThat(u.authenticate(new Credentials(List.of(), Optional.of("t"))))
        .isEqualTo(new AuthenticationResult.Authenticated(new UserInfo("carol", "u", List.of("system:authenticated"))));
  }
}
