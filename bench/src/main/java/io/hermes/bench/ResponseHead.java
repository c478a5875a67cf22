package io.hermes.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Collects an HTTP/1.1 response's status line and headers as they arrive in pieces, stopping exactly at
 * the blank line so the bytes after it can go to the body decoder. Bare LF line ends are accepted
 * because being lenient here costs nothing and a benchmark should not fail on a server's quirk.
 */
final class ResponseHead {
    /** Far above anything our server sends; a longer head means the stream is not HTTP. */
    static final int MAX_BYTES = 16 * 1024;

    private final byte[] buffer = new byte[MAX_BYTES];
    private int length;
    private int newlinesInARow;
    private boolean complete;
    private int status;
    private final Map<String, String> headers = new HashMap<>();

    /**
     * Consumes bytes up to and including the end of the head; returns how many were consumed, which is
     * less than {@code length} when body bytes follow in the same read.
     */
    int feed(byte[] bytes, int offset, int count) {
        int i = 0;
        while (i < count && !complete) {
            byte b = bytes[offset + i++];
            if (length == MAX_BYTES) {
                throw new MalformedResponseException("response head longer than " + MAX_BYTES + " bytes");
            }
            buffer[length++] = b;
            if (b == '\n') {
                if (++newlinesInARow == 2) {
                    complete = true;
                    parse();
                }
            } else if (b != '\r') {
                newlinesInARow = 0;
            }
        }
        return i;
    }

    boolean isComplete() {
        return complete;
    }

    int status() {
        return status;
    }

    /** The header's value (repeated headers joined with ", "), by case-insensitive name, or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** True when the last transfer coding is chunked, which is what frames the body (RFC 9112 6.3). */
    boolean isChunked() {
        String codings = header("transfer-encoding");
        if (codings == null) {
            return false;
        }
        String[] list = codings.split(",");
        return list[list.length - 1].trim().equalsIgnoreCase("chunked");
    }

    private void parse() {
        String[] lines = new String(buffer, 0, length, StandardCharsets.ISO_8859_1).split("\r?\n");
        String statusLine = lines[0];
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new MalformedResponseException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException malformed) {
            throw new MalformedResponseException("bad status code in: " + printable(statusLine));
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException("header line without a name: " + printable(line));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (first, next) -> first + ", " + next);
        }
    }

    private static String printable(String text) {
        String shortened = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
