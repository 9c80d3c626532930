package dev.skiff.apiserver.authn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who made a request, as upstream's {@code user.Info}.
 *
 * @param name the user name (a certificate's CN, a token file's user column)
 * @param uid a unique id, or empty
 * @param groups the groups, including {@code system:authenticated} for every authenticated user
 */
public record UserInfo(String name, String uid, List<String> groups) {
  public static final String AUTHENTICATED = "system:authenticated";
  public static final String UNAUTHENTICATED = "system:unauthenticated";
  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", "", List.of(UNAUTHENTICATED));

  public UserInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    groups = List.copyOf(groups);
  }

  /** This user with {@code system:authenticated} added to its groups, as upstream adds it. */
  public UserInfo authenticated() {
    if (groups.contains(AUTHENTICATED)) {
      return this;
    }
    List<String> g = new ArrayList<>(groups);
    g.add(AUTHENTICATED);
    return new UserInfo(name, uid, g);
  }

  public boolean isAnonymous() {
    return groups.contains(UNAUTHENTICATED);
  }
}
