package io.hermes.realtime.worker;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Why a transfer failed: a message a user can read as it stands, and an {@link #errorType()} the worker stores
 * as the download's {@code error_type} and counts in the statistics.
 */
class TransferException extends Exception {
    static final String HTTP_ERROR = "http_error";
    static final String CONNECTION_REFUSED = "connection_refused";
    static final String DNS_FAILURE = "dns_failure";
    static final String TIMEOUT = "timeout";
    static final String TOO_LARGE = "too_large";
    static final String TOO_MANY_REDIRECTS = "too_many_redirects";
    static final String PRIVATE_ADDRESS = "private_address";
    static final String UNSUPPORTED_SCHEME = "unsupported_scheme";
    static final String IO_ERROR = "io_error";
    /** yt-dlp could not get the media out of the page (its message says why). */
    static final String EXTRACTION_ERROR = "extraction_error";
    /** No yt-dlp extractor knows the URL. */
    static final String UNSUPPORTED_URL = "unsupported_url";

    private static final Set<String> TYPES = Set.of(HTTP_ERROR, CONNECTION_REFUSED, DNS_FAILURE, TIMEOUT, TOO_LARGE,
            TOO_MANY_REDIRECTS, PRIVATE_ADDRESS, UNSUPPORTED_SCHEME, IO_ERROR, EXTRACTION_ERROR, UNSUPPORTED_URL);

    private final String errorType;

    TransferException(String errorType, String message) {
        this(errorType, message, null);
    }

    TransferException(String errorType, String message, Throwable cause) {
        super(message, cause);
        // The type ends up in Redis keys (hermes:stats error:{type}); an unknown one would be a typo, not data.
        if (!TYPES.contains(errorType)) {
            throw new IllegalArgumentException("unknown error type: " + errorType);
        }
        this.errorType = errorType;
    }

    /** One of the constants of this class, such as {@link #HTTP_ERROR}. */
    String errorType() {
        return errorType;
    }

    // The wording of every failure lives here, so messages stay consistent and are easy to find.

    static TransferException tooLarge(long limit) {
        return new TransferException(TOO_LARGE, "File exceeds the " + bytes(limit) + " limit");
    }

    static TransferException idle(Duration idleTimeout) {
        return new TransferException(TIMEOUT, "No data received for " + duration(idleTimeout));
    }

    static TransferException tookTooLong(Duration totalTimeout) {
        return new TransferException(TIMEOUT, "Transfer took longer than " + duration(totalTimeout));
    }

    static TransferException connectTimeout(String hostAndPort, Duration connectTimeout, Throwable cause) {
        String within = connectTimeout == null ? "" : " within " + duration(connectTimeout);
        return new TransferException(TIMEOUT, "Could not connect to " + hostAndPort + within, cause);
    }

    static TransferException httpStatus(int status, String host) {
        String reason = StatusReasons.of(status);
        return new TransferException(HTTP_ERROR,
                "HTTP " + status + (reason.isEmpty() ? "" : " " + reason) + " from " + host);
    }

    static TransferException tooManyRedirects(int maxRedirects) {
        return new TransferException(TOO_MANY_REDIRECTS, "Too many redirects (more than " + maxRedirects + ")");
    }

    /** {@code 10485760} reads as {@code 10.0 MiB}; binary units, as file managers show sizes. */
    static String bytes(long count) {
        if (count < 1024) {
            return count + (count == 1 ? " byte" : " bytes");
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code 30 s}, {@code 250 ms}, {@code 5 min}: the shortest exact wording. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + " ms";
        }
        long seconds = millis / 1000;
        if (seconds >= 120 && seconds % 60 == 0) {
            long minutes = seconds / 60;
            return minutes >= 120 && minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min";
        }
        return seconds + " s";
    }
}
