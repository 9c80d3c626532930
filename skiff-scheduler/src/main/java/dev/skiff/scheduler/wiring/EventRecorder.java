package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

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
 * {@code POD.HEXNANOS}, from {@code default-scheduler}, and aggregated as upstream's events.k8s.io
 * broadcaster aggregates isomorphic events into a series: the first occurrence is created, the
 * second patches {@code count} to 2, and later ones only count in memory, so a pod retried every
 * 10 s for hours (no nodes) costs two writes, not one per attempt. {@link #prepare} decides on the
 * caller's thread, before anything is queued, so repeats do not even take a place in the write queue.
 * The memory of written events is bounded (oldest forgotten first, {@value #REMEMBERED} entries);
 * {@link EventSpamFilter} limits what is left to 25 events per pod and type per 5 minutes.
 */
final class EventRecorder {

    static final int REMEMBERED = 50_000;
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

    /** Writes the event now, on the caller's thread, if {@link #prepare} says it is to be written. */
    void record(Pod pod, String type, String reason, String action, String message) {
        Runnable write = prepare(pod, type, reason, action, message);
        if (write != null) {
            write.run();
        }
    }

    /**
     * Notes an occurrence of the event and returns the write it needs, or null when none: a repeat past
     * the second (counted in memory, as upstream's series) or one the spam filter refuses. The write
     * throws {@link io.fabric8.kubernetes.client.KubernetesClientException} when the API refuses it.
     * A caller that drops the write instead of running it calls {@link #forget}.
     */
    Runnable prepare(Pod pod, String type, String reason, String action, String message) {
        var meta = pod.getMetadata();
        String key = key(meta.getUid(), reason, message);
        Instant now = clock.instant();
        Written prior;
        synchronized (written) {
            prior = written.get(key);
            if (prior != null && prior.count() >= 2) {
                written.put(key, new Written(prior.name(), prior.count() + 1));
                return null;
            }
            if (!spamFilter.allow(meta.getUid(), type, now)) {
                return null;
            }
            if (prior != null) {
                written.put(key, new Written(prior.name(), 2));
            }
        }
        String events = "/api/v1/namespaces/" + meta.getNamespace() + "/events";
        if (prior != null) {
            return () -> {
                ApiWrites.Reply reply = writes.mergePatch(events + "/" + prior.name(),
                        ApiWrites.object().put("count", 2).put("lastTimestamp", format(now)));
                if (reply.code() == 404) {
                    // the event expired or was deleted: write a new one
                    create(pod, events, key, type, reason, action, message, now);
                } else if (!reply.ok()) {
                    throw reply.error("updating event " + prior.name());
                }
            };
        }
        String name = "%s.%x".formatted(meta.getName(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
        remember(key, new Written(name, 1));
        return () -> create(pod, events, key, type, reason, action, message, now);
    }

    /** Forgets the event, so that its next occurrence is written again (its write was dropped). */
    void forget(Pod pod, String reason, String message) {
        synchronized (written) {
            written.remove(key(pod.getMetadata().getUid(), reason, message));
        }
    }

    private static String key(String uid, String reason, String message) {
        return uid + "\u0000" + reason + "\u0000" + message;
    }

    private void create(Pod pod, String events, String key, String type, String reason, String action, String message,
                        Instant now) {
        var meta = pod.getMetadata();
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
            synchronized (written) {
                written.remove(key);
            }
            throw reply.error("creating event " + name);
        }
        synchronized (written) {
            Written w = written.get(key);
            // a 404 on the series patch re-creates the event under a new name: later patches go there
            written.put(key, new Written(name, w == null ? 1 : w.count()));
        }
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
