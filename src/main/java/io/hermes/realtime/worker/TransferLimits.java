package io.hermes.realtime.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds every transfer runs within; a transfer that crosses one fails with a {@link TransferException}.
 *
 * @param maxBytes       largest body accepted, checked against {@code Content-Length} before reading and
 *                       against the bytes actually received
 * @param connectTimeout how long opening a connection may take; it belongs to the {@code HttpClient} (see
 *                       {@link HttpTransfer#clientBuilder})
 * @param idleTimeout    longest wait for the next byte, response headers included
 * @param totalTimeout   longest run of one transfer, redirects included
 * @param maxRedirects   redirects followed before giving up; 0 refuses every redirect
 */
record TransferLimits(long maxBytes, Duration connectTimeout, Duration idleTimeout, Duration totalTimeout,
        int maxRedirects) {

    TransferLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        positive("connectTimeout", connectTimeout);
        positive("idleTimeout", idleTimeout);
        positive("totalTimeout", totalTimeout);
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative: " + maxRedirects);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
