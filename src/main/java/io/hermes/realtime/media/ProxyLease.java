package io.hermes.realtime.media;

import java.util.Optional;

/**
 * One transfer's way out through the egress proxy: the proxy URL with this transfer's own credential, and
 * why the proxy refused a host, if it did. Closing it ends the credential and every connection made with it.
 * The composition root adapts the egress proxy to it, so media and the worker name what they need, not who provides it.
 */
public interface ProxyLease extends AutoCloseable {
    String proxyUrl();

    /** The first refusal's message, such as {@code Refused: 10.0.0.1 is a private address}. */
    Optional<String> refusal();

    @Override
    void close();
}
