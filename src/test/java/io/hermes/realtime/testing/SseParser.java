package io.hermes.realtime.testing;

import java.util.function.Consumer;

/**
 * Parses SSE text as the browser's EventSource does (fields, multi-line data, comments, retry). Fed text in
 * pieces of any size; hands each complete event to its sink.
 */
public final class SseParser {
    private final Consumer<SseEvent> sink;
    private final StringBuilder pending = new StringBuilder();
    private String name;
    private String id;
    private StringBuilder data;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void feed(String text) {
        pending.append(text);
        int start = 0;
        int length = pending.length();
        for (int i = 0; i < length; i++) {
            char c = pending.charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 == length) {
                    break; // wait to see whether LF follows
                }
                line(pending.substring(start, i));
                if (c == '\r' && pending.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        pending.delete(0, start);
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                sink.accept(new SseEvent(name == null ? "message" : name, id, data.toString()));
            }
            name = null;
            id = null;
            data = null;
            return;
        }
        if (line.startsWith(":")) {
            sink.accept(new SseEvent(":", null, line.substring(1).trim()));
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "id" -> id = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            case "retry" -> sink.accept(new SseEvent("retry", null, value));
            default -> { }
        }
    }
}
