package dev.skiff.apiserver.authn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates bearer tokens listed in a static CSV file, kube-apiserver's
 * {@code --token-auth-file}: one line per token, {@code token,user,uid[,"group1,group2"]}. The
 * file is read once, at construction.
 */
public final class TokenFileAuthenticator implements Authenticator {
  private final Map<String, UserInfo> byToken;

  private TokenFileAuthenticator(Map<String, UserInfo> byToken) {
    this.byToken = Map.copyOf(byToken);
  }

  /**
   * Reads the file.
   *
   * @throws IllegalArgumentException if a line has fewer than three columns or an empty token
   */
  public static TokenFileAuthenticator read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read token file " + file, e);
    }
  }

  public static TokenFileAuthenticator parse(String csv) {
    Map<String, UserInfo> tokens = new HashMap<>();
    String[] lines = csv.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> cols = columns(line);
      if (cols.size() < 3 || cols.get(0).isEmpty()) {
        throw new IllegalArgumentException(
            "token file line " + (i + 1) + ": want token,user,uid[,groups], got " + cols.size() + " columns");
      }
      List<String> groups = new ArrayList<>();
      if (cols.size() > 3) {
        for (String g : cols.get(3).split(",")) {
          if (!g.isBlank()) {
            groups.add(g.strip());
          }
        }
      }
      tokens.putIfAbsent(cols.get(0), new UserInfo(cols.get(1), cols.get(2), groups));
    }
    return new TokenFileAuthenticator(tokens);
  }

  /** Splits one CSV line (RFC 4180 quoting, as Go's encoding/csv). */
  static List<String> columns(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  @Override
  public AuthenticationResult authenticate(Credentials credentials) {
    Optional<String> token = credentials.bearerToken();
    if (token.isEmpty()) {
      return new AuthenticationResult.NoCredentials();
    }
    // Compare in constant time so that response timing does not reveal how much of a token matched.
    byte[] presented = token.get().getBytes(StandardCharsets.UTF_8);
    UserInfo found = null;
    for (Map.Entry<String, UserInfo> e : byToken.entrySet()) {
      if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
        found = e.getValue();
      }
    }
    Arrays.fill(presented, (byte) 0);
    return found != null
        ? new AuthenticationResult.Authenticated(found)
        : new AuthenticationResult.Rejected("invalid bearer token");
  }
}
