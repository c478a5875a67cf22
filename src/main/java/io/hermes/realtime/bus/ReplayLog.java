package io.hermes.realtime.bus;

import io.hermes.realtime.redis.RedisScript;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/** Reads the replay stream that {@link EventPublisher} appends to. */
public final class ReplayLog {
    private static final System.Logger LOG = System.getLogger(ReplayLog.class.getName());
    private static final RedisScript FENCE = RedisScript.load(ReplayLog.class, "fence.lua");

    private final UnifiedJedis redis;
    private final EnvelopeCodec codec;

    public ReplayLog(UnifiedJedis redis, EnvelopeCodec codec) {
        this.redis = redis;
        this.codec = codec;
    }

    /**
     * One page of events after {@code from}.
     *
     * @param gap    {@code from} is no longer retained (trimmed, or Redis lost the stream): events were lost
     * @param events up to the requested count of events after {@code from}, in order
     * @param last   the id of the last entry read (skipped malformed ones included), to continue from
     * @param more   whether another page may follow
     */
    public record Page(boolean gap, List<BusEvent> events, EventId last, boolean more) {
    }

    /** The newest id in the stream, if any. */
    public Optional<EventId> tail() {
        List<StreamEntry> newest = redis.xrevrange(EventPublisher.REPLAY_STREAM, "+", "-", 1);
        return newest.isEmpty() ? Optional.empty() : Optional.of(idOf(newest.get(0)));
    }

    /**
     * Reads up to {@code limit} events after {@code from}. The range starts at {@code from} itself, so one
     * round trip both proves that {@code from} is still retained and returns what follows it.
     * {@link EventId#ZERO} means "from the beginning" and never reports a gap.
     */
    public Page after(EventId from, int limit) {
        boolean fromStart = EventId.ZERO.equals(from);
        List<StreamEntry> entries = redis.xrange(EventPublisher.REPLAY_STREAM, from.toString(), "+", limit + 1);
        int skip = 0;
        if (!fromStart) {
            if (entries.isEmpty() || !idOf(entries.get(0)).equals(from)) {
                return new Page(true, List.of(), from, false);
            }
            skip = 1;
        }
        List<BusEvent> events = new ArrayList<>(entries.size());
        EventId last = from;
        int end = Math.min(entries.size(), skip + limit);
        for (int i = skip; i < end; i++) {
            StreamEntry entry = entries.get(i);
            last = idOf(entry);
            decode(entry, last).ifPresent(events::add);
        }
        return new Page(false, events, last, entries.size() - skip >= limit);
    }

    /**
     * Reads up to {@code limit} events strictly after {@code from}, whether or not {@code from} itself is
     * retained: what follows an id that Redis lost in a failover. Never reports a gap.
     */
    public Page since(EventId from, int limit) {
        List<StreamEntry> entries = redis.xrange(EventPublisher.REPLAY_STREAM, "(" + from, "+", limit);
        List<BusEvent> events = new ArrayList<>(entries.size());
        EventId last = from;
        for (StreamEntry entry : entries) {
            last = idOf(entry);
            decode(entry, last).ifPresent(events::add);
        }
        return new Page(false, events, last, entries.size() >= limit);
    }

    /**
     * Whether {@code id} lies within what the stream retains: not before its oldest entry. An id that is
     * within it but absent was never appended here (the old master appended it and died before its replica
     * had it); one before it was trimmed, or the stream began anew after it.
     */
    public boolean spans(EventId id) {
        List<StreamEntry> oldest = redis.xrange(EventPublisher.REPLAY_STREAM, "-", "+", 1);
        return !oldest.isEmpty() && !idOf(oldest.get(0)).isAfter(id);
    }

    /**
     * Makes every id the stream hands out from now on sort after {@code seen} (an id from this Redis or
     * its predecessor, never one a client sent): after a failover, the new master's clock may be behind.
     * Returns whether the stream's last id had to move.
     */
    public boolean fence(EventId seen) {
        return Long.valueOf(1).equals(FENCE.run(redis, List.of(EventPublisher.REPLAY_STREAM), List.of(seen.toString())));
    }

    private Optional<BusEvent> decode(StreamEntry entry, EventId id) {
        Map<String, String> fields = entry.getFields();
        Optional<Channel> channel = Channel.named(String.valueOf(fields.get("channel")));
        String envelope = fields.get("envelope");
        if (channel.isEmpty() || envelope == null) {
            LOG.log(Level.WARNING, "Skipping replay entry {0}: no known channel or envelope", id);
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(channel.get(), envelope, id));
        } catch (MalformedEnvelopeException malformed) {
            LOG.log(Level.WARNING, "Skipping replay entry {0}: {1}", id, malformed.getMessage());
            return Optional.empty();
        }
    }

    private static EventId idOf(StreamEntry entry) {
        return new EventId(entry.getID().getTime(), entry.getID().getSequence());
    }
}
