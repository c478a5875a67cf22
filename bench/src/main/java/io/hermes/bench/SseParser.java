package io.hermes.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser for the {@code text/event-stream} format as the HTML standard defines it ("event
 * stream interpretation"): lines end in CRLF, LF or CR; a blank line dispatches; {@code data} lines are
 * joined with LF; the last event id persists across events; an event with no data is not dispatched.
 *
 * <p>It works on bytes and decodes each complete line as UTF-8, which is equivalent to decoding the
 * stream first because CR and LF never occur inside a multi-byte sequence — and it means a character
 * split across two reads is never decoded in halves.
 */
final class SseParser {
    private static final int MAX_LINE = 1 << 20;

    private final SseListener listener;
    private byte[] line = new byte[512];
    private int lineLength;
    /** A CR ended the previous line; an LF right after it belongs to the same line end, even across reads. */
    private boolean skipLineFeed;
    private boolean atStreamStart = true;

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType = "";
    private String lastEventId = "";

    SseParser(SseListener listener) {
        this(listener, "");
    }

    /**
     * A parser for a reconnection: an EventSource keeps its last event id across connections, so an event
     * without an {@code id:} line on the new connection still reports the id of the old one.
     */
    SseParser(SseListener listener, String lastEventId) {
        this.listener = listener;
        this.lastEventId = lastEventId;
    }

    void feed(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int i = offset;
        while (i < end) {
            if (skipLineFeed) {
                skipLineFeed = false;
                if (bytes[i] == '\n') {
                    i++;
                    continue;
                }
            }
            // Copy the run of ordinary bytes in one go; this loop is the hot path at 100k events/s.
            int start = i;
            while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
                i++;
            }
            append(bytes, start, i - start);
            if (i < end) {
                skipLineFeed = bytes[i] == '\r';
                i++;
                endLine();
            }
        }
    }

    private void append(byte[] bytes, int start, int count) {
        if (count == 0) {
            return;
        }
        if (lineLength + count > line.length) {
            if (lineLength + count > MAX_LINE) {
                throw new MalformedResponseException("event stream line longer than " + MAX_LINE + " bytes");
            }
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(bytes, start, line, lineLength, count);
        lineLength += count;
    }

    private void endLine() {
        int from = 0;
        if (atStreamStart) {
            atStreamStart = false;
            // One leading UTF-8 byte order mark is allowed and ignored.
            if (lineLength >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
                from = 3;
            }
        }
        int length = lineLength - from;
        lineLength = 0;
        if (length == 0) {
            dispatch();
            return;
        }
        if (line[from] == ':') {
            listener.onComment(new String(line, from + 1, length - 1, StandardCharsets.UTF_8));
            return;
        }
        int colon = indexOf(line, from, from + length, (byte) ':');
        String field;
        String value;
        if (colon < 0) {
            field = new String(line, from, length, StandardCharsets.UTF_8);
            value = "";
        } else {
            field = new String(line, from, colon - from, StandardCharsets.UTF_8);
            int valueStart = colon + 1;
            if (valueStart < from + length && line[valueStart] == ' ') {
                valueStart++;
            }
            value = new String(line, valueStart, from + length - valueStart, StandardCharsets.UTF_8);
        }
        field(field, value);
    }

    private void field(String name, String value) {
        switch (name) {
            case "event" -> eventType = value;
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 19) {
                    listener.onRetry(Long.parseLong(value));
                }
            }
            default -> {
                // Unknown fields are ignored, as browsers do.
            }
        }
    }

    private void dispatch() {
        if (!hasData) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // the LF after the last data line is not part of the data
        String type = eventType.isEmpty() ? "message" : eventType;
        String payload = data.toString();
        data.setLength(0);
        hasData = false;
        eventType = "";
        listener.onEvent(lastEventId, type, payload);
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
