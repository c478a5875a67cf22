package io.hermes.realtime.files;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header asks of a file of a known size (RFC 9110, section 14): the whole file, one part
 * of it, or nothing it has. Only single byte ranges are served as parts; several ranges are answered with
 * the whole file, which the RFC allows, and a header that is not a byte range at all is ignored, as it
 * requires.
 */
sealed interface RangeRequest {
    /** {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}, with white space around the parts allowed. */
    Pattern SINGLE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*", Pattern.CASE_INSENSITIVE);

    /** Serve the whole file (no header, an ignored one, or several ranges): 200. */
    record Whole() implements RangeRequest {
    }

    /** Serve bytes {@code first} to {@code last}, both included: 206 with {@code Content-Range}. */
    record Part(long first, long last) implements RangeRequest {
        long length() {
            return last - first + 1;
        }
    }

    /** Nothing of the file is in the range: 416 with {@code Content-Range: bytes *}{@code /size}. */
    record Unsatisfiable() implements RangeRequest {
    }

    /** What {@code header} (null when absent) asks of a file of {@code size} bytes. */
    static RangeRequest of(String header, long size) {
        if (header == null || header.indexOf(',') >= 0) {
            return new Whole();
        }
        Matcher range = SINGLE.matcher(header);
        if (!range.matches() || range.group(1).isEmpty() && range.group(2).isEmpty()
                || range.group(1).length() > 18 || range.group(2).length() > 18) {
            return new Whole(); // not a byte range we can read: ignored (a number past 18 digits, too)
        }
        if (range.group(1).isEmpty()) { // the last n bytes
            long suffix = Long.parseLong(range.group(2));
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Part(Math.max(0, size - suffix), size - 1);
        }
        long first = Long.parseLong(range.group(1));
        long last = range.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(range.group(2));
        if (last < first) {
            return new Whole(); // an invalid range: the header is ignored
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Part(first, Math.min(last, size - 1));
    }
}
