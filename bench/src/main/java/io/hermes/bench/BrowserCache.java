package io.hermes.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The part of a browser's HTTP cache that the dashboard relies on: it fetches with {@code cache: 'no-cache'},
 * so every request is revalidated, with {@code If-None-Match} when a previous 200 carried an {@code ETag};
 * a 304 then stands for the stored body. Keyed by request target (path and query). Thread-safe.
 */
final class BrowserCache {
    private record Entry(String etag, byte[] body) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** The validator to send for {@code target}, or null when nothing is stored. */
    synchronized String ifNoneMatch(String target) {
        Entry entry = entries.get(target);
        return entry == null ? null : entry.etag();
    }

    /**
     * Records a response and returns the body the page gets: the new body of a 200 (stored when it has an
     * ETag), the stored body for a 304, otherwise the response's own body.
     */
    synchronized byte[] resolve(String target, int status, String etag, byte[] body) {
        if (status == 304) {
            Entry entry = entries.get(target);
            if (entry == null) {
                throw new IllegalStateException("304 for " + target + " without a stored response");
            }
            return entry.body();
        }
        if (status == 200 && etag != null) {
            entries.put(target, new Entry(etag, body));
        }
        return body;
    }
}
