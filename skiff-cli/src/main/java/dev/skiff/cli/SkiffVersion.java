package dev.skiff.cli;

import picocli.CommandLine.IVersionProvider;

/** The version that {@code skiff --version} prints: Skiff's own and the Kubernetes it follows. */
public final class SkiffVersion implements IVersionProvider {
  public static final String KUBERNETES_VERSION = "v1.32.0";

  @Override
  public String[] getVersion() {
    String skiff = SkiffVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "skiff " + (skiff == null ? "dev" : skiff) + " (Kubernetes " + KUBERNETES_VERSION + ")"
    };
  }
}
