package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

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

    private final ApiWrites writes;
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
        this.writes = new ApiWrites(Objects.requireNonNull(client, "client"));
        this.component = Objects.requireNonNull(component, "component");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes the event now (on the caller's thread): a new Event, or a merge patch of {@code count} and
     * {@code lastTimestamp} when the same event about the same pod was written before.
     *
     * @throws KubernetesClientException when the API refuses the write
     */
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
        String events = "/api/v1/namespaces/" + meta.getNamespace() + "/events";
        if (prior != null) {
            int count = prior.count() + 1;
            ApiWrites.Reply reply = writes.mergePatch(events + "/" + prior.name(),
                    ApiWrites.object().put("count", count).put("lastTimestamp", format(now)));
            if (reply.ok()) {
                remember(key, new Written(prior.name(), count));
                return;
            }
            if (reply.code() != 404) {
                throw reply.error("updating event " + prior.name());
            }
            // the event expired or was deleted: write a new one
        }
        String name = "%s.%x".formatted(meta.getName(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
        ObjectNode event = ApiWrites.object().put("apiVersion", "v1").put("kind", "Event");
        event.putObject("metadata").put("name", name).put("namespace", meta.getNamespace());
        event.putObject("involvedObject").put("apiVersion", "v1").put("kind", "Pod").put("namespace", meta.getNamespace())
                .put("name", meta.getName()).put("uid", meta.getUid()).put("resourceVersion", meta.getResourceVersion());
        event.put("type", type).put("reason", reason).put("message", message).put("action", action);
        event.putObject("source").put("component", component);
        event.put("reportingComponent", component).put("reportingInstance", instance)
                .put("firstTimestamp", format(now)).put("lastTimestamp", format(now)).put("count", 1)
                .put("eventTime", MICRO_TIME.format(now));
        ApiWrites.Reply reply = writes.post(events, event);
        if (!reply.ok()) {
            throw reply.error("creating event " + name);
        }
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
