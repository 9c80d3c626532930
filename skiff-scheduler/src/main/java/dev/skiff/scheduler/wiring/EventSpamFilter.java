package dev.skiff.scheduler.wiring;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream's event spam filter ({@code EventSourceObjectSpamFilter}): a token bucket per involved
 * object and event type, 25 events at once and then one per 5 minutes, so a pod retried thousands
 * of times does not cost thousands of event writes. Buckets are kept for the most recently seen
 * objects only (an LRU of {@value #REMEMBERED}, as upstream's cache). Thread-safe.
 */
final class EventSpamFilter {
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    private static final int REMEMBERED = EventRecorder.REMEMBERED;

    private record Bucket(double tokens, Instant last) {
    }

    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Whether an event of {@code type} about the object {@code uid} may be written at {@code now}; spends a token if so. */
    synchronized boolean allow(String uid, String type, Instant now) {
        String key = uid + "\u0000" + type;
        Bucket b = buckets.get(key);
        double tokens = b == null ? BURST
                : Math.min(BURST, b.tokens() + (double) Duration.between(b.last(), now).toMillis() / REFILL.toMillis());
        if (tokens < 1) {
            buckets.put(key, new Bucket(tokens, now));
            return false;
        }
        buckets.put(key, new Bucket(tokens - 1, now));
        return true;
    }
}
