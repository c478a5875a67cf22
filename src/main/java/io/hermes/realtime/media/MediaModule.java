package io.hermes.realtime.media;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Metrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Media: yt-dlp and the child processes this instance runs, and {@code /info} and {@code /formats}, which read a
 * URL with it. {@link #start} finds yt-dlp and asks its version once; {@link #register} adds the endpoints;
 * {@link #close()} kills every child still running and waits for the threads reading them.
 */
public final class MediaModule implements AutoCloseable {
    /** URLs whose answers each instance keeps, whatever their size. */
    private static final int CACHED_URLS = 500;
    /** yt-dlp output whose answers each instance keeps: two of the largest answers read. */
    private static final long CACHED_CHARS = 2L * Extraction.MAX_OUTPUT_BYTES;

    private final MediaProcesses processes;
    private final YtDlp ytdlp;
    private final Path scratch;

    private MediaModule(MediaProcesses processes, YtDlp ytdlp, Path scratch) {
        this.processes = processes;
        this.ytdlp = ytdlp;
        this.scratch = scratch;
    }

    /** The limits of {@code /info} and {@code /formats}: {@code HERMES_INFO_*}. */
    public record InfoLimits(Duration timeout, int maxInFlight, Duration cacheFor) {
    }

    /**
     * @param executable {@code HERMES_YTDLP}: a path, or a name looked up in {@code PATH}
     * @param threads    names the threads reading children's output ({@code hermes-media-io-N})
     */
    public static MediaModule start(String executable, ThreadFactory threads) {
        YtDlp.killOrphans();
        MediaProcesses processes = new MediaProcesses(threads);
        // yt-dlp's home and current directory while it tells its version or reads a URL (-J writes nothing):
        // the system's temp directory, not HERMES_TEMP_DIR, whose contents the storage view reports.
        Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("hermes-yt-dlp-");
        } catch (java.io.IOException unwritable) {
            scratch = Path.of(System.getProperty("java.io.tmpdir"));
        }
        return new MediaModule(processes, YtDlp.probe(executable, processes, scratch), scratch);
    }

    /**
     * Registers {@code GET /info} and {@code GET /formats} (perm {@code read}).
     *
     * @param proxies         a fresh egress-proxy credential for each yt-dlp run
     * @param refusalAtSubmit why a URL is refused before yt-dlp runs (a literal private address), or empty
     */
    public void register(ServletRegistrar servlets, Json json, Authenticator authenticator, Metrics metrics,
            Clock clock, Supplier<ProxyLease> proxies, Function<URI, Optional<String>> refusalAtSubmit,
            InfoLimits limits) {
        Extraction extraction = new Extraction(ytdlp, proxies, scratch, limits.timeout(), json.mapper());
        // A request that shares another's extraction waits a little longer than the extraction may take, so the
        // extraction's own 504 (or its answer) reaches it first.
        InfoCache cache = new InfoCache(extraction, clock, new InfoCache.Limits(limits.cacheFor(),
                limits.maxInFlight(), 4 * limits.maxInFlight(), limits.timeout().plusSeconds(10), CACHED_URLS,
                CACHED_CHARS), metrics);
        MediaLookup lookup = new MediaLookup(ytdlp, cache, refusalAtSubmit);
        servlets.add("info", new InfoServlet(json, authenticator, lookup), "/info");
        servlets.add("formats", new FormatsServlet(json, authenticator, lookup), "/formats");
    }

    /** yt-dlp as {@code /health/detailed} shows it: {@code {status: available|absent, message, version}}. */
    public java.util.Map<String, Object> health() {
        java.util.Map<String, Object> state = new java.util.LinkedHashMap<>();
        state.put("status", ytdlp.available() ? "available" : "absent");
        state.put("message", ytdlp.absence().orElse("media pages, manifests and playlists go to yt-dlp"));
        state.put("version", ytdlp.version().orElse(null));
        return java.util.Collections.unmodifiableMap(state);
    }

    public YtDlp ytdlp() {
        return ytdlp;
    }

    /** How many yt-dlp (or other) children run now: for health and tests. */
    public int runningChildren() {
        return processes.running();
    }

    @Override
    public void close() throws InterruptedException {
        processes.close();
        try {
            java.nio.file.Files.deleteIfExists(scratch); // empty: -J and --version write nothing
        } catch (java.io.IOException notEmpty) {
            // something wrote there after all; the system's temp cleaner will have it
        }
    }
}
