package io.hermes.realtime.bus;

/**
 * Where the subscriber thread hands revoked credentials, announced by whichever instance revoked them on
 * {@link #CHANNEL}, so that every instance ends the streams opened with them. A credential is an opaque id
 * here ({@code apikey:ID} …); what it names is not the bus's business.
 */
public interface RevocationSink {
    /** Ours (contract section 5 leaves {@code hermes:} to us); each message is one credential id. */
    String CHANNEL = "hermes:revoked";

    /** Some instance revoked {@code credential}. Runs on the subscriber thread, so it must never block. */
    void revoked(String credential);

    /**
     * The subscription has just been made, or made again: what was announced while it was down is lost, so
     * the sink checks what is open against the store itself. Runs on the subscriber thread before the
     * catch-up, and may read Redis; if that fails, the subscriber reconnects and calls it again.
     */
    void subscribed();
}
