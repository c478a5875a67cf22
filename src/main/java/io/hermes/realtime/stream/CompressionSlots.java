package io.hermes.realtime.stream;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many streams may be gzip-compressed at once ({@code HERMES_SSE_COMPRESSION_MAX_STREAMS}), and how many
 * deflaters are alive. Each holds about 256 KiB of native memory for as long as its stream is open, so a
 * stream opened beyond the cap goes uncompressed instead; 0 turns compression off.
 */
public final class CompressionSlots {
    private final int max;
    private final AtomicInteger live = new AtomicInteger();

    public CompressionSlots(int max) {
        this.max = max;
    }

    /** Whether any stream may be compressed, which makes the response depend on Accept-Encoding. */
    boolean enabled() {
        return max > 0;
    }

    /** A compressor for a new stream, or {@code null} when every slot is taken. */
    GzipFrames tryOpen() {
        if (live.incrementAndGet() > max) {
            live.decrementAndGet();
            return null;
        }
        try {
            return new GzipFrames(this);
        } catch (RuntimeException | Error failed) {
            live.decrementAndGet();
            throw failed;
        }
    }

    /** Called once per compressor, by its {@link GzipFrames#end}. */
    void release() {
        live.decrementAndGet();
    }

    /** Deflaters alive now: compressed streams open, or closing and not yet released. */
    public int live() {
        return live.get();
    }

    public int max() {
        return max;
    }

    /**
     * Whether the request accepts gzip: {@code gzip} (or {@code x-gzip}) listed with a q-value above 0, or
     * {@code *} above 0 when gzip is not listed (RFC 9110, section 12.5.3).
     */
    static boolean acceptsGzip(HttpServletRequest request) {
        return acceptsGzip(request.getHeaders("Accept-Encoding"));
    }

    /** The same, from the values of every {@code Accept-Encoding} header of a request. */
    static boolean acceptsGzip(Enumeration<String> headers) {
        if (headers == null) {
            return false;
        }
        Boolean gzip = null;
        boolean any = false;
        while (headers.hasMoreElements()) {
            for (String coding : headers.nextElement().split(",")) {
                String[] parts = coding.split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                boolean wanted = quality(parts) > 0;
                if (name.equals("gzip") || name.equals("x-gzip")) {
                    gzip = gzip == null ? wanted : gzip || wanted;
                } else if (name.equals("*")) {
                    any = wanted;
                }
            }
        }
        return gzip != null ? gzip : any;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException malformed) {
                    return 0; // a coding with a q-value we cannot read is not taken as accepted
                }
            }
        }
        return 1;
    }
}
