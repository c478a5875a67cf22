package io.hermes.realtime.bus;

/**
 * One event as it travels from Redis to the connection registry.
 *
 * @param id         its replay stream id, or {@code null} for a plain envelope from a legacy worker
 * @param channel    the channel it arrived on
 * @param type       the envelope type, used as the SSE event name
 * @param data       the envelope's {@code data}, as the exact JSON text the publisher wrote
 * @param downloadId {@code data.download_id} when present, for per-download filtering; on the session channel
 *                   {@code data.session_id}, which streams filter (and check the owner of) alike
 * @param owner      the envelope's {@code owner} (our extension): whose download the event concerns
 * @param publishedAt the envelope's {@code timestamp} in epoch milliseconds, or 0 when it had none we could
 *                   read; the delivery latency metric measures from it
 * @param status     {@code data.status} when present (a download's status in {@code download_progress}), so a
 *                   stream that thins out progress steps can tell a step from a change of status
 */
public record BusEvent(EventId id, Channel channel, String type, String data, String downloadId, String owner,
        long publishedAt, String status) {

    /** An event whose data carries no status. */
    public BusEvent(EventId id, Channel channel, String type, String data, String downloadId, String owner,
            long publishedAt) {
        this(id, channel, type, data, downloadId, owner, publishedAt, null);
    }
}
