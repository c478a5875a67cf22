package io.hermes.realtime.downloads;

import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.json.Json;
import java.io.IOException;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * What {@code /events/downloads/{id}} sends first: the running step from the progress key while there is
 * one (the worker refreshes it on every step), else the state in the download's record, so a queued or
 * finished download is shown at once too.
 */
final class CurrentState {
    /** The longest an SSE token lives ({@code POST /events/token}'s largest {@code ttl}). */
    private static final long END_SHOWN_SECONDS = 3600;
    private final UnifiedJedis redis;
    private final DownloadOwners owners;
    private final DownloadStore store;
    private final DownloadEvents events;
    private final Json json;

    CurrentState(UnifiedJedis redis, DownloadOwners owners, DownloadStore store, DownloadEvents events, Json json) {
        this.redis = redis;
        this.owners = owners;
        this.store = store;
        this.events = events;
        this.json = json;
    }

    /**
     * The download's state as a {@code download_progress} event without an id, with its status (so a stream that
     * ends at a final status knows); empty for none.
     */
    Optional<BusEvent> of(String downloadId) {
        String running = redis.get(DownloadIds.progressKey(downloadId));
        if (running != null) {
            return Optional.of(event(downloadId, running, owners.ownerOf(downloadId).orElse(null), statusIn(running)));
        }
        Optional<Download> record = store.find(downloadId);
        try {
            return record.map(download -> event(downloadId, json.write(events.stateOf(download)), download.owner(),
                    download.status().wire()));
        } catch (IllegalArgumentException unreadable) {
            // A record another worker wrote with a status or size we cannot read: the stream opens without it.
            return Optional.empty();
        }
    }

    /** Not from the replay stream, so without an id: a client resuming later has nothing to skip. */
    private static BusEvent event(String downloadId, String data, String owner, String status) {
        return new BusEvent(null, Channel.DOWNLOAD, Channel.DOWNLOAD.eventType(), data, downloadId, owner, 0, status);
    }

    /** The {@code status} of a progress snapshot a worker wrote, or {@code null} when it has none we can read. */
    private String statusIn(String running) {
        try {
            return json.mapper().readTree(running).path("status").textValue();
        } catch (IOException unreadable) {
            return null;
        }
    }

    /**
     * Whether this is the first time the end of {@code downloadId} is shown to {@code viewer} (an SSE token's
     * digest): recorded in Redis for an hour, the longest an SSE token lives, so every instance agrees.
     */
    boolean firstEndShown(String downloadId, String viewer) {
        String key = "hermes:download:" + downloadId + ":end-shown:" + viewer;
        return redis.set(key, "1", SetParams.setParams().nx().ex(END_SHOWN_SECONDS)) != null;
    }
}
