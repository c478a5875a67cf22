package io.hermes.realtime.polling;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used rendered bodies, by identity ({@link ViewKey} at a version), within a budget
 * of bytes. An identity names one body for good (versions only grow), so an entry never needs
 * invalidating: a write makes new identities, and the old entries age out.
 */
final class RenderedBodies {
    /** A body above this share of the budget is not kept: it would push out many smaller ones. */
    private static final int LARGEST_SHARE = 4;

    private final long budgetBytes;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long usedBytes;

    RenderedBodies(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    synchronized byte[] get(String identity) {
        return entries.get(identity);
    }

    synchronized void put(String identity, byte[] body) {
        long cost = cost(identity, body);
        if (cost > budgetBytes / LARGEST_SHARE) {
            return;
        }
        byte[] replaced = entries.put(identity, body);
        if (replaced != null) {
            usedBytes -= cost(identity, replaced);
        }
        usedBytes += cost;
        Iterator<Map.Entry<String, byte[]>> eldest = entries.entrySet().iterator();
        while (usedBytes > budgetBytes && eldest.hasNext()) {
            Map.Entry<String, byte[]> entry = eldest.next();
            usedBytes -= cost(entry.getKey(), entry.getValue());
            eldest.remove();
        }
    }

    synchronized long usedBytes() {
        return usedBytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /** The body and the identity's characters, roughly what the entry holds on the heap. */
    private static long cost(String identity, byte[] body) {
        return body.length + 2L * identity.length();
    }
}
