package io.hermes.realtime.bus;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The instance's one subscriber thread ({@code hermes-redis-subscriber}). It holds its own Redis
 * connection subscribed to the five channels and hands each event to an {@link EventSink}, which never
 * blocks. When the connection breaks it reconnects with backoff and jitter, then reads the replay stream
 * from the last id it delivered, so events published in the gap still arrive, once.
 *
 * <p>Only this thread touches {@code lastDelivered}; other threads read the state fields for health.
 */
public final class RedisSubscriber {
    private static final System.Logger LOG = System.getLogger(RedisSubscriber.class.getName());
    private static final int CATCH_UP_PAGE = 500;

    /** What the subscriber is doing, for health reports. */
    public enum State { STARTING, SUBSCRIBED, RECONNECTING, STOPPED }

    private final Supplier<Jedis> connections;
    private final ReplayLog replay;
    private final EnvelopeCodec codec;
    private final EventSink sink;
    private final Backoff backoff;
    private final Clock clock;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private final OutageLog outage = new OutageLog(LOG, "Redis subscription unavailable", "Redis subscription restored");
    private final Thread thread;

    private volatile State state = State.STARTING;
    private volatile Instant lastMessageAt;
    private volatile Jedis connection;
    private volatile JedisPubSub subscription;
    private volatile long reconnects;
    private StreamId lastDelivered;

    public RedisSubscriber(Supplier<Jedis> connections, ReplayLog replay, EnvelopeCodec codec, EventSink sink, Clock clock) {
        this(connections, replay, codec, sink, clock,
                // Capped at 5 s (so at most 7.5 s with jitter): after an outage, live events resume within
                // seconds of Redis answering, and one connection attempt per instance every few seconds
                // costs Redis nothing.
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Math::random));
    }

    RedisSubscriber(Supplier<Jedis> connections, ReplayLog replay, EnvelopeCodec codec, EventSink sink, Clock clock,
            Backoff backoff) {
        this.connections = connections;
        this.replay = replay;
        this.codec = codec;
        this.sink = sink;
        this.clock = clock;
        this.backoff = backoff;
        this.thread = new Thread(this::run, "hermes-redis-subscriber");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the thread and waits up to {@code patience} for the first subscription, so that an event
     * published once start-up is over reaches clients even when it is a plain (non-replayable) PUBLISH.
     * If Redis is unreachable it returns after {@code patience}; the thread keeps trying.
     */
    public boolean start(Duration patience) throws InterruptedException {
        thread.start();
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
     * Stops the thread and waits for it: unsubscribes, and if that does not end the blocking read in time,
     * closes the socket under it. Never throws.
     */
    public void shutdown() {
        stopping.countDown();
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
                connection = jedis;
                if (lastDelivered == null) {
                    // Everything already in the stream predates this instance; catch-up starts after it.
                    lastDelivered = replay.tail().orElse(StreamId.ZERO);
                }
                JedisPubSub pubSub = new Listener();
                subscription = pubSub;
                if (!running()) {
                    break;
                }
                jedis.subscribe(pubSub, Channel.redisNames());
            } catch (RuntimeException broken) {
                if (running()) {
                    state = State.RECONNECTING;
                    reconnects++;
                    // One warning per outage, not per attempt; the end is logged once subscribed again.
                    outage.failed(broken, "live events wait (open streams stay open on heartbeats); reconnecting"
                            + " with backoff, then catching up from the replay stream");
                    pause(backoff.nextDelay());
                }
            } finally {
                connection = null;
                subscription = null;
            }
        }
        state = State.STOPPED;
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
     * delivered, and says what it did. If that event is gone (trimmed, or Redis came back without its
     * data), continuity cannot be proven: every stream gets a {@code resync} instead, and delivery goes on
     * from the stream's current end.
     */
    private String catchUp() {
        StreamId from = lastDelivered;
        int delivered = 0;
        while (true) {
            ReplayLog.Page page = replay.after(from, CATCH_UP_PAGE);
            if (page.gap()) {
                LOG.log(Level.WARNING, "The replay stream no longer holds event {0} (Redis lost its data, or the"
                        + " event was trimmed): every open stream is sent a resync", from);
                lastDelivered = replay.tail().orElse(StreamId.ZERO);
                sink.resync("events were lost while the server was disconnected from Redis");
                return "events may have been lost, so every open stream was sent a resync";
            }
            for (BusEvent event : page.events()) {
                deliver(event);
                delivered++;
            }
            lastDelivered = page.last().isAfter(lastDelivered) ? page.last() : lastDelivered;
            if (!page.more()) {
                return "caught up " + delivered + " event(s) from the replay stream";
            }
            from = page.last();
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
            if (subscribedChannels == Channel.values().length) {
                String caughtUp = catchUp();
                backoff.reset();
                outage.recovered(caughtUp);
                state = State.SUBSCRIBED;
                firstSubscription.countDown();
            }
        }

        @Override
        public void onMessage(String channelName, String message) {
            lastMessageAt = clock.instant();
            Channel channel = Channel.named(channelName).orElse(null);
            if (channel == null) {
                return;
            }
            try {
                deliver(codec.decode(channel, message, null));
            } catch (MalformedEnvelopeException malformed) {
                LOG.log(Level.WARNING, "Skipping malformed message on {0}: {1}", channelName, malformed.getMessage());
            }
        }
    }
}
