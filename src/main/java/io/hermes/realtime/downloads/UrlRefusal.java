package io.hermes.realtime.downloads;

import java.net.URI;
import java.util.Optional;

/**
 * What may refuse a submitted URL before anything is stored, such as a literal private address: the
 * reason is the 422's message. The worker checks every URL again when it fetches (names resolve later,
 * redirects lead elsewhere); this only spares a client a download that can only fail.
 */
@FunctionalInterface
public interface UrlRefusal {
    /** Why {@code url} (http or https, with a host) cannot be queued, or empty when it can. */
    Optional<String> reasonFor(URI url);

    /** Refuses nothing. */
    static UrlRefusal none() {
        return url -> Optional.empty();
    }
}
