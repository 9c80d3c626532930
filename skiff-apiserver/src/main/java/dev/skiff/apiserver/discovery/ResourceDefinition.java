package dev.skiff.apiserver.discovery;

import java.util.List;
import java.util.Objects;

/**
 * Everything the server states about one resource in discovery, and what routing and storage
 * derive from it.
 *
 * @param group the API group, "" for the core group
 * @param version the served version
 * @param kind the object kind ({@code ConfigMap})
 * @param plural the resource name in URLs ({@code configmaps})
 * @param singular the singular name ({@code configmap})
 * @param namespaced whether objects live in namespaces
 * @param verbs the verbs the resource supports, in upstream's discovery order
 * @param shortNames short names for kubectl ({@code cm})
 * @param categories categories such as {@code all}
 * @param subresources the subresources, such as {@code status}
 */
public record ResourceDefinition(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> verbs,
    List<String> shortNames,
    List<String> categories,
    List<Subresource> subresources) {

  /** The verbs of a resource with the full generic REST store. */
  /**
   * Consistent with the record's equals (equal definitions have equal group, version and plural), but
   * cheap: definitions key the stores and watch caches looked up on every request, and the record's own
   * hash walks every list of names.
   */
  @Override
  public int hashCode() {
    return (group.hashCode() * 31 + version.hashCode()) * 31 + plural.hashCode();
  }

  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /**
   * A subresource such as {@code status}.
   *
   * @param name the subresource name
   * @param group the API group of the kind it returns, or null for the resource's own
   * @param version the version of the kind it returns, or null for the resource's own
   * @param kind the kind it returns
   * @param verbs its verbs
   */
  public record Subresource(String name, String group, String version, String kind, List<String> verbs) {
    public Subresource {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      verbs = List.copyOf(verbs);
    }

    /** A subresource that returns a kind of the resource's own group version. */
    public Subresource(String name, String kind, List<String> verbs) {
      this(name, null, null, kind, verbs);
    }

    /** The {@code scale} subresource, which returns {@code autoscaling/v1 Scale}. */
    public static Subresource scale() {
      return new Subresource("scale", "autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
    }

    public static Subresource status(String kind) {
      return new Subresource("status", kind, List.of("get", "patch", "update"));
    }
  }

  public ResourceDefinition {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(singular, "singular");
    verbs = List.copyOf(verbs);
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /** {@code v1} or {@code apps/v1}: the object's {@code apiVersion}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String listKind() {
    return kind + "List";
  }

  /**
   * The storage key prefix of this resource, with a trailing slash: {@code /registry/configmaps/}
   * for the core group (as upstream), {@code /registry/GROUP/PLURAL/} for others (as upstream
   * stores custom resources).
   */
  public String storagePrefix() {
    if (group.equals("events.k8s.io") && plural.equals("events")) {
      // cohabiting resources, as upstream: events.k8s.io events are the core events, converted
      return "/registry/events/";
    }
    return group.isEmpty() ? "/registry/" + plural + "/" : "/registry/" + group + "/" + plural + "/";
  }

  public boolean supports(String verb) {
    return verbs.contains(verb);
  }
}
