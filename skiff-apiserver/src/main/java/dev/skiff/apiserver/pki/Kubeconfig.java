package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * Writes a kubeconfig for one user with embedded certificate data, as {@code kubectl} and client
 * libraries read it. The file is replaced atomically and is readable by its owner only, since it
 * holds a private key.
 */
public final class Kubeconfig {
  private Kubeconfig() {}

  public static void write(Path file, String serverUrl, Credential ca, Credential user) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: %s
            server: %s
          name: skiff
        contexts:
        - context:
            cluster: skiff
            user: admin
          name: skiff
        current-context: skiff
        preferences: {}
        users:
        - name: admin
          user:
            client-certificate-data: %s
            client-key-data: %s
        """
            .formatted(b64(ca.certificatePem()), serverUrl, b64(user.certificatePem()), b64(user.keyPem()));
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".kubeconfig", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, yaml);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
