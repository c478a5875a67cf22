package io.hermes.realtime.bus;

import io.hermes.realtime.redis.OutageLog;
import io.hermes.realtime.redis.RedisUnreachable;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The instance's one subscriber thread ({@code hermes-redis-subscriber}). It holds its own Redis
 * connection subscribed to the five channels and hands each event to an {@link EventSink}, which never
 * blocks. When the connection breaks it reconnects with backoff and jitter, then reads the replay stream
 * from the last id it delivered, so events published in the gap still arrive, once.
 *
 * <p>The same connection listens to {@link RevocationSink#CHANNEL} and hands revoked credentials to a
 * {@link RevocationSink}. Those announcements have no replay, so after each (re)subscription the sink is
 * told to check for itself what it may have missed.
 *
 * <p>A subscription only reads, so a connection that died without a FIN or RST (Redis restarted behind a
 * network partition, a NAT forgot it) would stay silent forever. A watchdog thread
 * ({@code hermes-redis-watchdog}) therefore PINGs the subscription every {@link #PING_INTERVAL} and drops
 * a connection that has said nothing for {@link #SILENCE_LIMIT}, which makes this thread reconnect.
 *
 * <p>Only this thread touches {@code lastDelivered}; other threads read the state fields for health.
 */
public final class RedisSubscriber {
    private static final System.Logger LOG = System.getLogger(RedisSubscriber.class.getName());
    private static final int CATCH_UP_PAGE = 500;
    /** The reason every stream's resync gives when the replay stream cannot prove that nothing was missed. */
    static final String LOST = "events were lost while the server was disconnected from Redis";
    static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    /** Three unanswered PINGs: far above any healthy round trip, short enough that clients barely notice. */
    static final Duration SILENCE_LIMIT = PING_INTERVAL.multipliedBy(3);

    /** What the subscriber is doing, for health reports. */
    public enum State { STARTING, SUBSCRIBED, RECONNECTING, STOPPED }

    private final Supplier<Jedis> connections;
    /** The five event channels, the revocation channel, then the canary's. */
    private final String[] channels;
    /** Hears its own canaries, or {@code null}. */
    private final DeliveryCanary canary;
    private final ReplayLog replay;
    private final EnvelopeCodec codec;
    private final EventSink sink;
    private final RevocationSink revocations;
    private final Backoff backoff;
    private final Clock clock;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private final OutageLog outage = new OutageLog(LOG, "Redis subscription unavailable", "Redis subscription restored");
    /** Malformed messages come from some publisher's bug, often many a second: one warning a minute says so. */
    private final ThrottledWarning malformedMessages = new ThrottledWarning(LOG, 60, TimeUnit.SECONDS, System::nanoTime);
    private final Thread thread;
    private final ScheduledThreadPoolExecutor watchdog;

    private volatile State state = State.STARTING;
    /** {@code System.nanoTime()} when the current connection last gave a sign of life. */
    private volatile long lastHeardNanos;
    /** Why the watchdog or the canary dropped the current connection, or {@code null}. */
    private volatile String dropped;
    private volatile Instant lastMessageAt;
    private volatile Jedis connection;
    private volatile JedisPubSub subscription;
    private volatile long reconnects;
    private EventId lastDelivered;

    /**
     * @param watchdogThreads makes the one {@code hermes-redis-watchdog} thread
     * @param canary          hears what arrives on its channel, or {@code null} for none
     */
    public RedisSubscriber(Supplier<Jedis> connections, ReplayLog replay, EnvelopeCodec codec, EventSink sink,
            RevocationSink revocations, Clock clock, ThreadFactory watchdogThreads, DeliveryCanary canary) {
        this(connections, replay, codec, sink, revocations, clock, watchdogThreads, canary,
                // Capped at 5 s (so at most 7.5 s with jitter): after an outage, live events resume within
                // seconds of Redis answering, and one connection attempt per instance every few seconds
                // costs Redis nothing.
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Math::random));
    }

    RedisSubscriber(Supplier<Jedis> connections, ReplayLog replay, EnvelopeCodec codec, EventSink sink,
            RevocationSink revocations, Clock clock, ThreadFactory watchdogThreads, DeliveryCanary canary,
            Backoff backoff) {
        this.connections = connections;
        this.canary = canary;
        this.channels = channels(canary);
        this.replay = replay;
        this.codec = codec;
        this.sink = sink;
        this.revocations = revocations;
        this.clock = clock;
        this.backoff = backoff;
        this.thread = new Thread(this::run, "hermes-redis-subscriber");
        this.thread.setDaemon(true);
        this.watchdog = new ScheduledThreadPoolExecutor(1, watchdogThreads);
    }

    /**
     * Starts the thread and waits up to {@code patience} for the first subscription, so that an event
     * published once start-up is over reaches clients even when it is a plain (non-replayable) PUBLISH.
     * If Redis is unreachable it returns after {@code patience}; the thread keeps trying.
     */
    public boolean start(Duration patience) throws InterruptedException {
        thread.start();
        long ping = PING_INTERVAL.toMillis();
        watchdog.scheduleWithFixedDelay(this::pingOrDrop, ping, ping, TimeUnit.MILLISECONDS);
        return firstSubscription.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    /** When the last message arrived on any channel, or {@code null}. */
    public Instant lastMessageAt() {
        return lastMessageAt;
    }

    public long reconnects() {
        return reconnects;
    }

    /**
     * Drops the current connection, so that this thread reconnects (through Sentinel, to whatever is master
     * now) and catches up from the replay stream; {@code why} goes into the outage warning.
     */
    void resubscribe(String why) {
        Jedis current = connection;
        if (current != null) {
            dropped = why;
            disconnectQuietly(current);
        }
    }

    /**
     * Stops the thread and waits for it: unsubscribes, and if that does not end the blocking read in time,
     * closes the socket under it. Never throws.
     */
    public void shutdown() {
        stopping.countDown();
        watchdog.shutdownNow();
        try {
            JedisPubSub current = subscription;
            if (current != null && current.isSubscribed()) {
                current.unsubscribe();
            }
        } catch (RuntimeException alreadyBroken) {
            // the socket is closed below
        }
        try {
            thread.join(1000);
            if (thread.isAlive()) {
                disconnectQuietly(connection);
                thread.interrupt();
                thread.join(5000);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            watchdog.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "Subscriber thread did not stop within 6 s");
        }
        state = State.STOPPED;
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void run() {
        while (running()) {
            try (Jedis jedis = connections.get()) {
                lastHeardNanos = System.nanoTime();
                dropped = null;
                connection = jedis;
                if (lastDelivered == null) {
                    // Everything already in the stream predates this instance; catch-up starts after it.
                    lastDelivered = replay.tail().orElse(EventId.ZERO);
                }
                JedisPubSub pubSub = new Listener();
                subscription = pubSub;
                if (!running()) {
                    break;
                }
                jedis.subscribe(pubSub, channels);
            } catch (RuntimeException broken) {
                if (running()) {
                    state = State.RECONNECTING;
                    reconnects++;
                    // One warning per outage, not per attempt; the end is logged once subscribed again.
                    String reason = dropped;
                    RuntimeException why = reason != null ? new JedisConnectionException(reason, broken) : broken;
                    outage.failed(why, "live events wait (open streams stay open on heartbeats); reconnecting with"
                            + " backoff, then catching up from the replay stream");
                    pause(backoff.nextDelay());
                }
            } finally {
                connection = null;
                subscription = null;
            }
        }
        state = State.STOPPED;
    }

    /**
     * The watchdog's round: drops a connection that has been silent too long (connecting and subscribing
     * included, as both can hang on a black-holed network), otherwise PINGs a live subscription so that a
     * healthy one is never silent. Writing a PING while this thread reads is what Jedis's own
     * {@code unsubscribe()} from another thread does too.
     */
    private void pingOrDrop() {
        Jedis current = connection;
        if (current == null) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
            dropped = "no answer from Redis for " + SILENCE_LIMIT.toSeconds() + " s";
            LOG.log(Level.DEBUG, "Redis subscription silent for {0} s: dropping it", SILENCE_LIMIT.toSeconds());
            disconnectQuietly(current);
            return;
        }
        JedisPubSub currentSubscription = subscription;
        if (state == State.SUBSCRIBED && currentSubscription != null && currentSubscription.isSubscribed()) {
            try {
                currentSubscription.ping();
            } catch (RuntimeException broken) {
                // the subscriber thread's read fails as well, and it reconnects
            }
        }
    }

    private void pause(Duration delay) {
        try {
            stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            stopping.countDown();
        }
    }

    /**
     * Runs once all channels are subscribed: delivers what the replay stream holds after the last event
     * delivered, and says what it did. If that event is gone, continuity cannot be proven, and every stream
     * gets a {@code resync}. What happens next depends on why it is gone:
     * <ul>
     * <li>Within what the stream retains, yet absent: a failover, whose new master never had the last
     * entries the old one appended. Entries after it were appended by the new master (no ids that old were
     * ever here), so they are delivered after the resync: nothing published since the failover is
     * skipped. Before the resync, the stream is fenced so that new ids sort after the last one delivered,
     * even if the new master's clock is behind; an event appended with a lower id before the fence was
     * appended before the resync went out, so the state clients fetch on resync already holds it.</li>
     * <li>Before the oldest entry (trimmed, or Redis came back empty): delivery goes on from the stream's
     * current end.</li>
     * </ul>
     */
    private String catchUp() {
        EventId from = lastDelivered;
        int delivered = 0;
        boolean resynced = false;
        while (true) {
            ReplayLog.Page page = resynced ? replay.since(from, CATCH_UP_PAGE) : replay.after(from, CATCH_UP_PAGE);
            if (page.gap()) {
                fence(from);
                boolean lostInFailover = replay.spans(from);
                LOG.log(Level.WARNING, "The replay stream no longer holds event {0} ({1}): every open stream is sent a"
                        + " resync", from, lostInFailover ? "the new master never had it: a failover" : "Redis lost its"
                        + " data, or the event was trimmed");
                sink.resync(LOST);
                resynced = true;
                if (!lostInFailover) {
                    lastDelivered = replay.tail().orElse(EventId.ZERO);
                    return "events may have been lost, so every open stream was sent a resync";
                }
                continue;
            }
            for (BusEvent event : page.events()) {
                deliver(event);
                delivered++;
            }
            lastDelivered = page.last().isAfter(lastDelivered) ? page.last() : lastDelivered;
            if (!page.more()) {
                return (resynced ? "events were lost in a failover, so every open stream was sent a resync; then " : "")
                        + "caught up " + delivered + " event(s) from the replay stream";
            }
            from = page.last();
        }
    }

    /** Fences the stream at {@code seen}; a failure other than Redis's absence is logged, not fatal. */
    private void fence(EventId seen) {
        try {
            if (replay.fence(seen)) {
                LOG.log(Level.INFO, "The replay stream''s ids were behind event {0}: new ids now sort after it", seen);
            }
        } catch (RuntimeException failed) {
            if (RedisUnreachable.is(failed)) {
                throw failed;
            }
            LOG.log(Level.ERROR, "Could not fence the replay stream at " + seen, failed);
        }
    }

    private void deliver(BusEvent event) {
        if (event.id() != null) {
            if (!event.id().isAfter(lastDelivered)) {
                return; // already delivered by the catch-up
            }
            lastDelivered = event.id();
        }
        try {
            sink.deliver(event);
        } catch (RuntimeException bug) {
            LOG.log(Level.ERROR, "Event sink failed on event " + event.id(), bug);
        }
    }

    private void revoked(String credential) {
        try {
            revocations.revoked(credential);
        } catch (RuntimeException bug) {
            LOG.log(Level.ERROR, "Revocation sink failed on credential " + credential, bug);
        }
    }

    /** The event channels, the revocation channel, and the canary's when there is one. */
    private static String[] channels(DeliveryCanary canary) {
        String[] events = Channel.redisNames();
        String[] all = java.util.Arrays.copyOf(events, events.length + (canary == null ? 1 : 2));
        all[events.length] = RevocationSink.CHANNEL;
        if (canary != null) {
            all[events.length + 1] = canary.channel();
        }
        return all;
    }

    private static void disconnectQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.disconnect();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            lastHeardNanos = System.nanoTime();
            if (subscribedChannels == channels.length) {
                // First, so the catch-up below never offers an event to a stream whose credential was revoked.
                revocations.subscribed();
                if (canary != null) {
                    canary.subscribed(); // its canaries published while this connection was being made are lost
                }
                String caughtUp = catchUp();
                lastHeardNanos = System.nanoTime(); // a long catch-up is no silence
                backoff.reset();
                outage.recovered(caughtUp);
                state = State.SUBSCRIBED;
                firstSubscription.countDown();
            }
        }

        @Override
        public void onMessage(String channelName, String message) {
            lastHeardNanos = System.nanoTime();
            lastMessageAt = clock.instant();
            if (RevocationSink.CHANNEL.equals(channelName)) {
                revoked(message);
                return;
            }
            if (canary != null && canary.channel().equals(channelName)) {
                canary.returned(message);
                return;
            }
            Channel channel = Channel.named(channelName).orElse(null);
            if (channel == null) {
                return;
            }
            try {
                deliver(codec.decode(channel, message, null));
            } catch (MalformedEnvelopeException malformed) {
                malformedMessages.warn("Skipping malformed message on {0}: {1}", channelName, malformed.getMessage());
            }
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }
    }
}
