package dev.skiff.apiserver.http;

import dev.skiff.apiserver.json.Json;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/** The {@code /version} document: the Kubernetes version this server behaves as. */
public final class VersionInfo {
  public static final String GIT_VERSION = "v1.32.0+skiff";

  private VersionInfo() {}

  public static ObjectNode document() {
    String arch = switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> System.getProperty("os.arch");
    };
    return Json.object().put("major", "1").put("minor", "32").put("gitVersion", GIT_VERSION)
        .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "")
        .put("goVersion", "java" + Runtime.version().feature()).put("compiler", "javac")
        .put("platform", System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + arch);
  }
}
