package io.hermes.realtime.stream;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import java.nio.charset.StandardCharsets;

/**
 * One SSE frame, encoded to bytes once and shared by every connection that receives it.
 *
 * <p>Encoding is where frame injection is stopped: CR, LF and NUL are removed from {@code id} and
 * {@code event}, and data is split on every line break into its own {@code data:} line.
 *
 * @param bytes      the wire form, ending with the blank line
 * @param id         the replay id, or {@code null}; connections drop frames they already replayed
 * @param channel    the channel of an application event; {@code null} for frames meant for everyone
 * @param downloadId the download it concerns, for per-download filtering, or {@code null}
 * @param owner      the owner of that download, for ownership filtering, or {@code null}
 * @param publishedAt when the event was published (epoch milliseconds), for the delivery latency metric;
 *                   0 when unknown and for frames the server makes itself
 * @param status     the download's status in a {@code download_progress} event, or {@code null}; streams that
 *                   thin out progress steps never hold back a change of status
 */
record SseFrame(byte[] bytes, EventId id, Channel channel, String downloadId, String owner, long publishedAt,
        String status) {

    public SseFrame(byte[] bytes, EventId id, Channel channel, String downloadId, String owner, long publishedAt) {
        this(bytes, id, channel, downloadId, owner, publishedAt, null);
    }

    /** Marks the end of a stream in a connection's queue; never written. */
    static final SseFrame END = toEveryone(new byte[0]);

    /** An application event from a channel. */
    public static SseFrame event(EventId id, String name, String data, Channel channel, String downloadId,
            String owner) {
        return new SseFrame(encode(id == null ? null : id.toString(), name, data), id, channel, downloadId, owner, 0);
    }

    /** An application event from the bus. */
    public static SseFrame of(io.hermes.realtime.bus.BusEvent event) {
        EventId id = event.id();
        return new SseFrame(encode(id == null ? null : id.toString(), event.type(), event.data()), id, event.channel(),
                event.downloadId(), event.owner(), event.publishedAt(), event.status());
    }

    /**
     * This event with another id: its {@code id:} line replaced, everything else the same. Only for a frame
     * that has an id (its bytes then begin with that line); used when a thinned-out step is sent late.
     */
    SseFrame withId(EventId newId) {
        int lineEnd = 0;
        while (bytes[lineEnd] != '\n') {
            lineEnd++;
        }
        byte[] line = ("id: " + newId + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] renamed = new byte[line.length + bytes.length - lineEnd - 1];
        System.arraycopy(line, 0, renamed, 0, line.length);
        System.arraycopy(bytes, lineEnd + 1, renamed, line.length, bytes.length - lineEnd - 1);
        return new SseFrame(renamed, newId, channel, downloadId, owner, publishedAt, status);
    }

    /**
     * This event under another name: its {@code event:} line replaced, everything else the same. For the few
     * streams that show an event under a name of their own (a task session's {@code status}); encoded per
     * stream, so not for broadcasts to many.
     */
    SseFrame renamed(String name) {
        int start = 0;
        if (id != null) {
            while (bytes[start] != '\n') {
                start++;
            }
            start++;
        }
        int end = start;
        while (bytes[end] != '\n') {
            end++;
        }
        byte[] line = ("event: " + singleLine(name)).getBytes(StandardCharsets.UTF_8);
        byte[] renamed = new byte[start + line.length + bytes.length - end];
        System.arraycopy(bytes, 0, renamed, 0, start);
        System.arraycopy(line, 0, renamed, start, line.length);
        System.arraycopy(bytes, end, renamed, start + line.length, bytes.length - end);
        return new SseFrame(renamed, id, channel, downloadId, owner, publishedAt, status);
    }

    /** An event for every connection that receives it directly (connected, heartbeat, resync, init …). */
    public static SseFrame control(String name, String data) {
        return toEveryone(encode(null, name, data));
    }

    /** A comment line, which keeps proxies from timing the stream out and is ignored by browsers. */
    public static SseFrame comment(String text) {
        return toEveryone((": " + singleLine(text) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The reconnection delay the browser should use. */
    public static SseFrame retry(long millis) {
        return toEveryone(("retry: " + millis + "\n\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A frame of the server's own: no id, channel, download or owner, so every subscription matches it. */
    private static SseFrame toEveryone(byte[] bytes) {
        return new SseFrame(bytes, null, null, null, null, 0);
    }

    static byte[] encode(String id, String name, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        if (id != null) {
            frame.append("id: ").append(singleLine(id)).append('\n');
        }
        frame.append("event: ").append(singleLine(name)).append('\n');
        int start = 0;
        int length = data.length();
        for (int i = 0; i < length; i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n') {
                frame.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < length && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        frame.append("data: ").append(data, start, length).append("\n\n");
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Removes the characters that would end a field early or be rejected by the browser's parser. */
    static String singleLine(String value) {
        StringBuilder clean = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean unsafe = c == '\r' || c == '\n' || c == '\0';
            if (unsafe && clean == null) {
                clean = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!unsafe && clean != null) {
                clean.append(c);
            }
        }
        return clean == null ? value : clean.toString();
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
