package io.hermes.realtime.bus;

import java.util.Arrays;
import java.util.Optional;

/**
 * The pub/sub channels of contract section 5, and section 8's {@code session:updates}, with the short names SSE
 * clients use for them.
 */
public enum Channel {
    DOWNLOAD("download", "download:updates", "download_progress"),
    QUEUE("queue", "queue:updates", "queue_update"),
    STATS("stats", "stats:updates", "stats_update"),
    STORAGE("storage", "storage:updates", "storage_update"),
    SYSTEM("system", "system:notifications", "system_notification"),
    /** A task session's status (contract section 8): its data names the session in {@code session_id}. */
    SESSION("session", "session:updates", "session_status");

    private final String shortName;
    private final String redisName;
    private final String eventType;

    Channel(String shortName, String redisName, String eventType) {
        this.shortName = shortName;
        this.redisName = redisName;
        this.eventType = eventType;
    }

    /** The name used in {@code ?channels=}: {@code download}, {@code queue}, … */
    public String shortName() {
        return shortName;
    }

    /** The Redis pub/sub channel, such as {@code download:updates}. */
    public String redisName() {
        return redisName;
    }

    /** The envelope type (and SSE event name) that this channel carries. */
    public String eventType() {
        return eventType;
    }

    /** Accepts the short name or the Redis channel name. */
    public static Optional<Channel> named(String name) {
        return Arrays.stream(values())
                .filter(channel -> channel.shortName.equals(name) || channel.redisName.equals(name))
                .findFirst();
    }

    /**
     * The field of an event's data that names what the event is about, which streams filter by and which
     * carries an owner: a download, or on the session channel a task session.
     */
    String subjectField() {
        return this == SESSION ? "session_id" : "download_id";
    }

    static String[] redisNames() {
        return Arrays.stream(values()).map(Channel::redisName).toArray(String[]::new);
    }
}
