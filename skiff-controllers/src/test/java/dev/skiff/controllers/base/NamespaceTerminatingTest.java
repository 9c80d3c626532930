package dev.skiff.controllers.base;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The loop recognises the API's NamespaceTerminating refusal, also when a sync wrapped it. */
class NamespaceTerminatingTest {
  private static KubernetesClientException refusal(String reason) {
    return new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
        .withNewDetails().addNewCause().withReason(reason).withField("metadata.namespace").endCause().endDetails()
        .build());
  }

  @Test
  void recognisesTheCauseDirectlyAndWrapped() {
    assertThat(ControllerLoop.namespaceTerminating(refusal("NamespaceTerminating"))).isTrue();
    assertThat(ControllerLoop.namespaceTerminating(
        new KubernetesClientException("batch failed", refusal("NamespaceTerminating")))).isTrue();
    assertThat(ControllerLoop.namespaceTerminating(refusal("FieldValueInvalid"))).isFalse();
    assertThat(ControllerLoop.namespaceTerminating(new KubernetesClientException("no status"))).isFalse();
  }
}
