package io.hermes.realtime.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.http.ApiException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * One {@code yt-dlp -J --flat-playlist} run for {@code /info} and {@code /formats}: the URL's information as one
 * line of JSON, read within the time limit, through the egress proxy. A playlist comes back flat (its entries
 * listed, not each extracted), a video with its formats. Whatever happens, yt-dlp has ended when {@link #extract}
 * returns. Runs on the caller's thread.
 *
 * <p>A URL that names a playlist answers the playlist, even one that also names a video ({@code watch?v=…&list=…}),
 * as upstream does: the app then offers the entries, each of which downloads on its own.
 */
final class Extraction implements InfoCache.Source {
    /** The longest answer read: a flat playlist of tens of thousands of entries fits. */
    static final int MAX_OUTPUT_BYTES = 16 << 20;
    private static final System.Logger LOG = System.getLogger(Extraction.class.getName());
    private static final List<String> OPTIONS = List.of("--dump-single-json", "--flat-playlist", "--no-warnings");
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final YtDlp ytdlp;
    private final Supplier<ProxyLease> proxies;
    private final Path workDir;
    private final Duration timeout;
    private final ObjectMapper mapper;

    /**
     * @param workDir yt-dlp's current and home directory; {@code -J} writes nothing there
     * @param timeout {@code HERMES_INFO_TIMEOUT}
     */
    Extraction(YtDlp ytdlp, Supplier<ProxyLease> proxies, Path workDir, Duration timeout, ObjectMapper mapper) {
        this.ytdlp = ytdlp;
        this.proxies = proxies;
        this.workDir = workDir;
        this.timeout = timeout;
        this.mapper = mapper;
    }

    /**
     * @throws ApiException 422 for a URL yt-dlp has no extractor for or the egress proxy refused (a private
     *                      address), 502 when yt-dlp failed otherwise (with its message) or answered too much or
     *                      nothing readable, 503 when yt-dlp is absent, 504 past the time limit
     */
    @Override
    public InfoCache.Extracted extract(String url) {
        try (ProxyLease lease = proxies.get()) {
            String answer;
            try (ChildProcess child = start(url, lease)) {
                answer = follow(child, lease);
            }
            return new InfoCache.Extracted(VideoInfo.of(parse(answer), url), answer.length());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while yt-dlp read this URL");
        }
    }

    private ChildProcess start(String url, ProxyLease lease) {
        if (!ytdlp.available()) {
            throw ApiException.unavailable(ytdlp.absence().orElse("yt-dlp is not available"));
        }
        try {
            return ytdlp.start(OPTIONS, url, lease.proxyUrl(), workDir, MAX_OUTPUT_BYTES);
        } catch (IOException failed) {
            LOG.log(Level.WARNING, "Could not start yt-dlp for /info: {0}", failed.getMessage());
            throw ApiException.unavailable("Could not run yt-dlp: " + YtDlpErrors.trim(String.valueOf(
                    failed.getMessage())));
        }
    }

    /** The JSON line yt-dlp printed, once it exited with success; else why not, as the status to answer. */
    private String follow(ChildProcess child, ProxyLease lease) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String answer = null;
        while (!child.outputEnded()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                child.kill();
                throw new ApiException(504, "yt-dlp did not finish reading this URL within " + timeout.toSeconds()
                        + " s (HERMES_INFO_TIMEOUT)");
            }
            String line = child.nextLine(Duration.ofNanos(left));
            if (line != null && answer == null && line.startsWith("{")) {
                answer = line; // -J prints one line; on failure it prints "null"
            }
        }
        if (child.lineTooLong()) {
            throw new ApiException(502, "yt-dlp's answer for this URL is larger than " + (MAX_OUTPUT_BYTES >> 20)
                    + " MiB");
        }
        OptionalInt exit = child.awaitExit(EXIT_WAIT);
        if (exit.isEmpty() || exit.getAsInt() != 0) {
            throw failure(child, lease);
        }
        if (answer == null) {
            throw new ApiException(502, "yt-dlp gave no information for this URL");
        }
        return answer;
    }

    /** The egress proxy's refusal first (yt-dlp only saw a 403), else yt-dlp's own last error. */
    private static ApiException failure(ChildProcess child, ProxyLease lease) {
        if (lease.refusal().isPresent()) {
            return ApiException.invalid(lease.refusal().get());
        }
        String message = YtDlpErrors.lastError(child.errorTail());
        return YtDlpErrors.unsupportedUrl(message) ? ApiException.invalid(message)
                : new ApiException(502, message, Map.of());
    }

    private JsonNode parse(String answer) {
        try {
            JsonNode info = mapper.readTree(answer);
            if (info != null && info.isObject()) {
                return info;
            }
        } catch (IOException malformed) {
            // reported below
        }
        throw new ApiException(502, "yt-dlp gave unreadable information for this URL");
    }
}
