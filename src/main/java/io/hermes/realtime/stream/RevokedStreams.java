package io.hermes.realtime.stream;

import io.hermes.realtime.bus.RevocationSink;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Ends the streams opened with a credential once it is revoked, on every instance: when the announcement
 * arrives, when the subscription is made again after missing announcements, and when a stream registers
 * just as its credential is being revoked. Whether a credential is revoked is the answer of a function
 * (the auth side's, wired by the composition root).
 */
final class RevokedStreams implements RevocationSink {
    private static final System.Logger LOG = System.getLogger(RevokedStreams.class.getName());

    private final ConnectionRegistry registry;
    private final Function<Collection<String>, Set<String>> revokedAmong;

    /** @param revokedAmong given credential ids, returns those that are revoked, reading the store */
    public RevokedStreams(ConnectionRegistry registry, Function<Collection<String>, Set<String>> revokedAmong) {
        this.registry = registry;
        this.revokedAmong = revokedAmong;
    }

    @Override
    public void revoked(String credential) {
        end(Set.of(credential), "announced");
    }

    @Override
    public void subscribed() {
        Set<String> inUse = registry.credentialsInUse();
        if (!inUse.isEmpty()) {
            end(revokedAmong.apply(inUse), "found while the subscription was down");
        }
    }

    /**
     * Called by the handshake right after it registered {@code connection}. Its credential was checked before,
     * but a revocation announced between that check and the registration found nothing to end; so it is read
     * again now that the stream can be found. Either this read sees the revocation, or the announcement comes
     * after it and finds the stream.
     */
    void checkRegistered(SseConnection connection, String credential) {
        if (credential != null && !revokedAmong.apply(List.of(credential)).isEmpty()) {
            connection.end(null);
        }
    }

    private void end(Set<String> revoked, String how) {
        int ended = registry.endOpenedWith(revoked);
        if (ended > 0) {
            LOG.log(Level.INFO, "Ended {0} stream(s) opened with revoked credential(s) {1} ({2})", ended, revoked, how);
        }
    }
}
