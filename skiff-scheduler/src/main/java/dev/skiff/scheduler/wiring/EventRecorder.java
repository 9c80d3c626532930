package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes core/v1 Events about pods as the scheduler's event recorder does: named
 * {@code POD.HEXNANOS}, from {@code default-scheduler}, and aggregated: the same reason and message
 * about the same pod again bumps {@code count} and {@code lastTimestamp} of the event already
 * written, so a pod retried for hours leaves one event, not thousands. Called from one writer
 * thread at a time per pod; the memory of written events is bounded (oldest forgotten first).
 * Beyond that, {@link EventSpamFilter} drops a pod's events of one type past 25 per 5 minutes.
 */
final class EventRecorder {

    private static final int REMEMBERED = 4096;
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final InstantSource clock;
    /** (pod uid, reason, message) to the name and count of the event written for it. */
    private final Map<String, Written> written = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            return size() > REMEMBERED;
        }
    };

    private final EventSpamFilter spamFilter = new EventSpamFilter();

    private record Written(String name, int count) {
    }

    EventRecorder(KubernetesClient client, String component, String instance, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.component = Objects.requireNonNull(component, "component");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void record(Pod pod, String type, String reason, String action, String message) {
        var meta = pod.getMetadata();
        String key = meta.getUid() + "\u0000" + reason + "\u0000" + message;
        Instant now = clock.instant();
        if (!spamFilter.allow(meta.getUid(), type, now)) {
            return;
        }
        Written prior;
        synchronized (written) {
            prior = written.get(key);
        }
        var events = client.v1().events().inNamespace(meta.getNamespace());
        if (prior != null) {
            int count = prior.count() + 1;
            try {
                events.withName(prior.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("count", count, "lastTimestamp", format(now))));
                remember(key, new Written(prior.name(), count));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                // the event expired or was deleted: write a new one
            }
        }
        String name = "%s.%x".formatted(meta.getName(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(meta.getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(meta.getNamespace())
                .withName(meta.getName()).withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withAction(action)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component).withReportingInstance(instance)
                .withFirstTimestamp(format(now)).withLastTimestamp(format(now)).withCount(1)
                .withEventTime(new MicroTime(MICRO_TIME.format(now)))
                .build();
        events.resource(event).create();
        remember(key, new Written(name, 1));
    }

    private void remember(String key, Written w) {
        synchronized (written) {
            written.put(key, w);
        }
    }

    /** RFC 3339 in whole seconds, as metav1.Time serialises. */
    static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
