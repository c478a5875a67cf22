package io.hermes.realtime.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the request bodies being received, per source and per address, and refuses one more beyond
 * either cap. A source is the credential a request presents, or its address when it presents none; the
 * address cap stops a client from escaping the source cap by presenting a fresh made-up key each time.
 */
final class InFlightBodies {
    private final int perSource;
    private final int perAddress;
    /** Only counts above zero are kept, so the map holds just the sources with a body under way. */
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    InFlightBodies(int perSource, int perAddress) {
        this.perSource = perSource;
        this.perAddress = perAddress;
    }

    /** A slot for one more body from {@code source} at {@code address}, or {@code null} when a cap is reached. */
    Slot tryAcquire(String source, String address) {
        String addressKey = "address " + address;
        if (!increment(addressKey, perAddress)) {
            return null;
        }
        String sourceKey = "source " + source;
        if (!increment(sourceKey, perSource)) {
            decrement(addressKey);
            return null;
        }
        return new Slot(sourceKey, addressKey);
    }

    /** Bodies under way for {@code source}; for tests and diagnostics. */
    int inFlight(String source) {
        return counts.getOrDefault("source " + source, 0);
    }

    /** Keys with a body under way; zero once every slot was released. */
    int keys() {
        return counts.size();
    }

    private boolean increment(String key, int cap) {
        boolean[] taken = {false};
        counts.compute(key, (ignored, count) -> {
            int now = count == null ? 0 : count;
            if (now >= cap) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void decrement(String key) {
        counts.computeIfPresent(key, (ignored, count) -> count == 1 ? null : count - 1);
    }

    /** One body's place under both caps; {@link #release()} may be called from every path, it counts once. */
    final class Slot {
        private final String sourceKey;
        private final String addressKey;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String sourceKey, String addressKey) {
            this.sourceKey = sourceKey;
            this.addressKey = addressKey;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                decrement(sourceKey);
                decrement(addressKey);
            }
        }
    }
}
