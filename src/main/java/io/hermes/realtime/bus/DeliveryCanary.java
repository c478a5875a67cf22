package io.hermes.realtime.bus;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.DoubleConsumer;
import java.util.function.LongSupplier;

/**
 * Proves that this instance's subscription still receives what is published: every interval it PUBLISHes
 * a sequence number on a channel of its own, through the shared pool (the path every event takes), and
 * its subscriber thread hands back what arrives on that channel. A PING answered on the subscription
 * proves only that the connection lives; a subscription on a server that no longer gets the publishers'
 * messages (a demoted or partitioned master) answers PINGs and hears nothing. The canary notices both.
 *
 * <p>Overdue means no canary came back for the interval plus {@link #MARGIN}. Then the instance reports
 * itself unhealthy, and, if the last canary was published (so Redis takes writes), the subscriber is told to
 * drop its connection and subscribe afresh; a subscription made that way gets a whole limit to prove itself
 * before it is dropped again. Health returns by itself with the next canary that comes back.
 *
 * <p>Runs on its own thread ({@code hermes-bus-canary}), started and stopped by its owner, {@link BusModule}.
 */
public final class DeliveryCanary {
    private static final System.Logger LOG = System.getLogger(DeliveryCanary.class.getName());
    /** Room for a publish that waits out the Redis timeout and a busy subscriber thread. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    private final String channel;
    private final Duration interval;
    private final long limitNanos;
    private final BiConsumer<String, String> publish;
    private final Runnable resubscribe;
    private final LongSupplier nanos;
    private final ThreadFactory threads;
    /** Takes each canary's round trip, in seconds: publish to its return on the subscription. */
    private final DoubleConsumer roundTrips;
    private ScheduledThreadPoolExecutor timer;

    /** Touched by the canary's thread only. */
    private long sent;
    private boolean lastPublished;
    private long resubscribedAtNanos;
    /**
     * When the subscriber last made its subscription (after an outage, say): written by the subscriber thread. A
     * new subscription gets a whole limit to prove itself, as one the canary asked for does.
     */
    private volatile long subscribedAtNanos;
    /** Written by the subscriber thread, read by the canary's thread and by health checks. */
    private volatile long returned;
    private volatile long returnedAtNanos;
    private volatile long failures;
    /**
     * The latest canary and when its publish began, for its round trip: written by the canary's thread
     * before it publishes, read by the subscriber thread when a canary returns.
     */
    private volatile Sent latest = new Sent(0, 0);

    /** One canary as published: its number and when its publish began. */
    private record Sent(long number, long atNanos) {
    }

    /**
     * @param instance    this instance's id, which names the canary's channel
     * @param publish     PUBLISHes (channel, message) through the pool
     * @param resubscribe makes the subscriber drop its connection and subscribe again
     */
    DeliveryCanary(String instance, Duration interval, BiConsumer<String, String> publish, Runnable resubscribe,
            LongSupplier nanos, ThreadFactory threads) {
        this(instance, interval, publish, resubscribe, nanos, threads, seconds -> { });
    }

    /** As above; {@code roundTrips} takes the round trip, in seconds, of every canary that comes back in order. */
    DeliveryCanary(String instance, Duration interval, BiConsumer<String, String> publish, Runnable resubscribe,
            LongSupplier nanos, ThreadFactory threads, DoubleConsumer roundTrips) {
        this.roundTrips = roundTrips;
        this.channel = "hermes:canary:" + instance;
        this.interval = interval;
        this.limitNanos = interval.plus(MARGIN).toNanos();
        this.publish = publish;
        this.resubscribe = resubscribe;
        this.nanos = nanos;
        this.threads = threads;
        this.returnedAtNanos = nanos.getAsLong(); // a new instance gets one limit to prove its subscription
        this.resubscribedAtNanos = returnedAtNanos;
        this.subscribedAtNanos = returnedAtNanos;
    }

    /** The channel the subscriber listens to for this canary. */
    String channel() {
        return channel;
    }

    /** Starts publishing, the first canary at once. */
    void start() {
        timer = new ScheduledThreadPoolExecutor(1, threads);
        timer.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops publishing and waits for the thread. Never throws. */
    void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One round: counts the previous canary as failed if it is not back, asks for a new subscription if
     * the canary is overdue while Redis takes writes, then publishes the next.
     */
    void tick() {
        long now = nanos.getAsLong();
        if (sent > 0 && returned < sent) {
            failures++;
        }
        // A canary published while the subscriber was still reconnecting never comes back: only silence on a
        // subscription older than a whole limit says that the subscription hears nothing.
        long silentSince = Math.max(returnedAtNanos, Math.max(resubscribedAtNanos, subscribedAtNanos));
        if (lastPublished && now - silentSince > limitNanos) {
            LOG.log(Level.WARNING, "No delivery canary came back for {0}: the subscription hears nothing, so it"
                    + " is dropped and made again", seconds(now - returnedAtNanos));
            resubscribedAtNanos = now;
            resubscribe.run();
        }
        sent++;
        latest = new Sent(sent, nanos.getAsLong());
        try {
            publish.accept(channel, Long.toString(sent));
            lastPublished = true;
        } catch (RuntimeException unreachable) {
            lastPublished = false; // Redis is down: the subscriber finds that out for itself
        }
    }

    /** The subscriber thread made its subscription (all channels, this one included). */
    void subscribed() {
        subscribedAtNanos = nanos.getAsLong();
    }

    /** The subscriber thread received {@code message} on {@link #channel()}. */
    void returned(String message) {
        try {
            long number = Long.parseLong(message.trim());
            if (number > returned) {
                long now = nanos.getAsLong();
                returned = number;
                returnedAtNanos = now;
                Sent latestSent = latest;
                if (latestSent.number() == number) { // an older one's publish time is no longer known
                    roundTrips.accept(Math.max(0, now - latestSent.atNanos()) / 1e9);
                }
            }
        } catch (NumberFormatException notOurs) {
            // someone else published on our channel: no proof of anything
        }
    }

    /** Seconds since a canary last came back (since start, before the first). */
    public double ageSeconds() {
        return (nanos.getAsLong() - returnedAtNanos) / 1e9;
    }

    /** Canaries that were not back when the next was due, or could not be published. */
    public long failures() {
        return failures;
    }

    /** Why delivery is in doubt, or empty while canaries come back in time. */
    public Optional<String> problem() {
        long age = nanos.getAsLong() - returnedAtNanos;
        if (age <= limitNanos) {
            return Optional.empty();
        }
        return Optional.of("no delivery canary came back through Redis pub/sub for " + seconds(age) + " (limit "
                + seconds(limitNanos) + ")");
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
