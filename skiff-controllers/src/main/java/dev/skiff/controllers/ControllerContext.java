package dev.skiff.controllers;

import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.InstantSource;
import java.util.Objects;

/** What every controller is built from: the client, the shared informers, the clock and the config. */
public record ControllerContext(KubernetesClient client, SharedInformers informers, InstantSource clock,
    ControllerManagerConfig config) {
  public ControllerContext {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(informers, "informers");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(config, "config");
  }

  /** An event recorder whose events name {@code component} as their source. */
  public EventRecorder recorder(String component) {
    return new EventRecorder(client, component, clock);
  }
}
