package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Streams end with the credential they were opened with, and only those. Each stream writes to a
 * {@link FakeServletOutput}; drains run on the calling thread, so a stream told to end has ended, and left the
 * registry, when the call returns.
 * Whether a credential is revoked comes from a hand-written store that records what it was asked.
 */
class RevokedStreamsTest {
    private final ConnectionRegistry registry = new ConnectionRegistry(10);
    private final StreamMetrics metrics = new StreamMetrics(new Metrics(), registry, new CompressionSlots(0),
            Clock.systemUTC());
    private final Set<String> revokedInStore = new HashSet<>();
    private final List<Set<String>> asked = new ArrayList<>();
    private final RevokedStreams revocations = new RevokedStreams(registry, credentials -> {
        asked.add(Set.copyOf(credentials));
        Set<String> revoked = new HashSet<>(credentials);
        revoked.retainAll(revokedInStore);
        return revoked;
    });

    /** A live, idle stream opened with {@code credential} (null: one that cannot be revoked). */
    private SseConnection open(String credential) {
        FakeServletOutput out = new FakeServletOutput();
        SseConnection connection = new SseConnection(UUID.randomUUID().toString(), "queue",
                Subscription.of(Channel.QUEUE), mock(AsyncContext.class), new FrameOutput.Plain(out),
                new SseConnection.Options(10, 0, Runnable::run, null, metrics, registry::remove));
        assertTrue(registry.tryReserve());
        registry.add(connection, credential);
        connection.goLive(null);
        out.writePossible(); // the container's first call: the queue is empty, so the writer goes idle
        return connection;
    }

    @Test
    void anAnnouncedRevocationEndsExactlyTheStreamsOpenedWithThatCredential() {
        SseConnection first = open("apikey:a");
        SseConnection second = open("apikey:a");
        SseConnection other = open("apikey:b");
        SseConnection configuredAdmin = open(null);

        revocations.revoked("apikey:a");

        assertTrue(first.isClosed() && second.isClosed());
        assertEquals("ended by server", first.closeReason(), "ended cleanly, so the browser reconnects");
        assertFalse(other.isClosed() || configuredAdmin.isClosed());
        assertEquals(2, registry.activeConnections());
        assertEquals(Set.of("apikey:b"), registry.credentialsInUse(), "an ended stream's credential is forgotten");
        assertTrue(asked.isEmpty(), "an announcement needs no read of the store");
    }

    @Test
    void anAnnouncementForACredentialWithNoStreamHereEndsNothing() {
        SseConnection stream = open("apikey:a");

        revocations.revoked("apikey:unknown");

        assertFalse(stream.isClosed());
        assertEquals(1, registry.activeConnections());
    }

    @Test
    void afterResubscribingTheStoreIsAskedAboutEachCredentialInUseOnceAndRevokedOnesEnd() {
        SseConnection revoked = open("apikey:a");
        SseConnection sameKey = open("apikey:a");
        SseConnection kept = open("apikey:b");
        SseConnection configuredAdmin = open(null);
        revokedInStore.add("apikey:a");

        revocations.subscribed();

        assertEquals(List.of(Set.of("apikey:a", "apikey:b")), asked, "one question, for both credentials");
        assertTrue(revoked.isClosed() && sameKey.isClosed());
        assertFalse(kept.isClosed() || configuredAdmin.isClosed());
    }

    @Test
    void resubscribingWithNoRevocableStreamOpenAsksTheStoreNothing() {
        open(null);

        revocations.subscribed();

        assertTrue(asked.isEmpty());
    }

    @Test
    void aStreamRegisteredJustAfterItsCredentialWasRevokedIsEndedByTheCheckThatFollowsRegistration() {
        SseConnection late = open("apikey:a");
        SseConnection fine = open("apikey:b");
        SseConnection configuredAdmin = open(null);
        revokedInStore.add("apikey:a");

        revocations.checkRegistered(late, "apikey:a");
        revocations.checkRegistered(fine, "apikey:b");
        revocations.checkRegistered(configuredAdmin, null);

        assertTrue(late.isClosed());
        assertFalse(fine.isClosed() || configuredAdmin.isClosed());
        assertEquals(List.of(Set.of("apikey:a"), Set.of("apikey:b")), asked, "nothing to ask for no credential");
    }
}
