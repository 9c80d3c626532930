package dev.skiff.simulator;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A work queue of object keys with client-go's guarantees: a key waiting is queued once however
 * often it is added, and a key being processed is not handed to a second worker; added again
 * meanwhile, it is queued once more when its worker calls {@link #done}. Thread-safe.
 */
final class KeyQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final LinkedHashSet<String> queued = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirtyWhileProcessing = new HashSet<>();
    private boolean closed;

    void add(String key) {
        lock.lock();
        try {
            if (processing.contains(key)) {
                dirtyWhileProcessing.add(key);
            } else if (queued.add(key)) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next key, waiting up to {@code timeout}; empty on timeout or once closed. */
    Optional<String> take(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (queued.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (closed) {
                return Optional.empty();
            }
            String key = queued.removeFirst();
            processing.add(key);
            return Optional.of(key);
        } finally {
            lock.unlock();
        }
    }

    void done(String key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirtyWhileProcessing.remove(key) && queued.add(key)) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
