package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import java.util.List;

/** The ServiceAccount resource, with its {@code token} subresource (TokenRequest). */
public final class ServiceAccountResource {
  public static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "ServiceAccount",
      "serviceaccounts", "serviceaccount", true, ResourceDefinition.ALL_VERBS, List.of("sa"), List.of(),
      List.of(new ResourceDefinition.Subresource("token", "authentication.k8s.io", "v1", "TokenRequest",
          List.of("create"))));

  private ServiceAccountResource() {}
}
