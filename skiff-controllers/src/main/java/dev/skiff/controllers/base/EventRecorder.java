package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects, as upstream's {@code EventRecorder} does for a component
 * (source.component is the controller's name, such as {@code replicaset-controller}). Best
 * effort: a failed event write is logged and never fails the sync that recorded it.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private final KubernetesClient client;
  private final String component;
  private final InstantSource clock;

  public EventRecorder(KubernetesClient client, String component, InstantSource clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.component = Objects.requireNonNull(component, "component");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public void event(HasMetadata about, String type, String reason, String message) {
    var now = clock.instant();
    String ts = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    String ns = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    // upstream names events <object>.<hex nanos>, unique per recorder and time
    String name = about.getMetadata().getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    var event = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion()).withKind(about.getKind())
            .withNamespace(about.getMetadata().getNamespace()).withName(about.getMetadata().getName())
            .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
            .build())
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(component).endSource()
        .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
        .withReportingComponent(component)
        .build();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
    } catch (RuntimeException e) {
      LOG.debug("event {} {} about {}/{} not recorded: {}", reason, message, ns, about.getMetadata().getName(), e.toString());
    }
  }
}
