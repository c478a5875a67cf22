package io.hermes.realtime.media;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.metrics.Counter;
import io.hermes.realtime.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code /info} and {@code /formats} know about URLs: each URL's extraction, kept in memory for a while, shared
 * by the requests that ask for it while it runs, and the limits on how many run and wait at once.
 *
 * <p>Each instance has its own cache (nothing goes to Redis): at most {@link Limits#maxEntries()} URLs and
 * {@link Limits#maxWeight()} characters of yt-dlp output, the least recently asked for leaving first. Failures
 * are not kept: the next request tries again.
 *
 * <p>Threads: the extraction runs on the thread of the first request for a URL; requests for the same URL that
 * come while it runs wait for its outcome on their own threads. Each waiting request holds its thread, so
 * beyond {@link Limits#maxWaiting()} of them, or {@link Limits#maxRunning()} extractions, the answer is a 503
 * at once.
 */
final class InfoCache {
    /** Runs one extraction; throws {@link ApiException} with the status a client should see when it fails. */
    @FunctionalInterface
    interface Source {
        Extracted extract(String url);
    }

    /** An extraction's answer, and its weight: the length of the yt-dlp output it was read from. */
    record Extracted(VideoInfo info, long weight) {
    }

    /**
     * @param keepFor     how long an answer is served from memory; zero keeps none
     * @param maxRunning  extractions at once ({@code HERMES_INFO_MAX_IN_FLIGHT})
     * @param maxWaiting  requests waiting for extractions at once, those running them included
     * @param waitLimit   the longest a request waits for another's extraction; longer than the extraction's own
     *                    time limit, which normally ends it first
     */
    record Limits(Duration keepFor, int maxRunning, int maxWaiting, Duration waitLimit, int maxEntries,
            long maxWeight) {
    }

    private record Kept(VideoInfo info, long weight, long expiresAtMillis) {
    }

    private final Source source;
    private final Clock clock;
    private final Limits limits;
    private final Semaphore running;
    private final Semaphore waiting;
    private final Map<String, CompletableFuture<VideoInfo>> inFlight = new ConcurrentHashMap<>();
    /** Least recently used first; guarded by itself, as is {@link #keptWeight}. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long keptWeight;
    private final Counter extractions;
    private final Counter hits;
    private final Counter shared;
    private final Counter refused;

    InfoCache(Source source, Clock clock, Limits limits, Metrics metrics) {
        this.source = source;
        this.clock = clock;
        this.limits = limits;
        this.running = new Semaphore(limits.maxRunning());
        this.waiting = new Semaphore(limits.maxWaiting());
        this.extractions = metrics.counter("hermes_info_extractions_total",
                "yt-dlp runs started for /info and /formats");
        this.hits = metrics.counter("hermes_info_cache_hits_total",
                "/info and /formats requests answered from this instance's memory");
        this.shared = metrics.counter("hermes_info_shared_total",
                "/info and /formats requests that waited for an extraction another request had started");
        this.refused = metrics.counter("hermes_info_refused_total",
                "/info and /formats requests answered 503 because too many extractions ran or waited");
        metrics.gauge("hermes_info_extractions_running", "yt-dlp runs for /info and /formats running now",
                () -> limits.maxRunning() - running.availablePermits());
    }

    /**
     * The answer for {@code url}: from memory, from the extraction another request is running, or from a new one.
     *
     * @throws ApiException the extraction's failure, or 503 with {@code Retry-After} when too many run or wait
     */
    VideoInfo get(String url) {
        VideoInfo known = fresh(url);
        if (known != null) {
            hits.increment();
            return known;
        }
        if (!waiting.tryAcquire()) {
            throw busy();
        }
        try {
            CompletableFuture<VideoInfo> mine = new CompletableFuture<>();
            CompletableFuture<VideoInfo> theirs = inFlight.putIfAbsent(url, mine);
            if (theirs != null) {
                shared.increment();
                return await(theirs);
            }
            try {
                return extract(url, mine);
            } finally {
                inFlight.remove(url, mine);
            }
        } finally {
            waiting.release();
        }
    }

    /** Runs the extraction for everyone waiting on {@code outcome}, and keeps its answer. */
    private VideoInfo extract(String url, CompletableFuture<VideoInfo> outcome) {
        // One that ended between the look into memory and the claim above has left its answer there.
        VideoInfo justKept = fresh(url);
        if (justKept != null) {
            outcome.complete(justKept);
            return justKept;
        }
        if (!running.tryAcquire()) {
            ApiException busy = busy();
            outcome.completeExceptionally(busy);
            throw busy;
        }
        try {
            extractions.increment();
            Extracted extracted = source.extract(url);
            keep(url, extracted);
            outcome.complete(extracted.info());
            return extracted.info();
        } catch (RuntimeException failed) {
            outcome.completeExceptionally(failed);
            throw failed;
        } finally {
            running.release();
        }
    }

    private VideoInfo await(CompletableFuture<VideoInfo> outcome) {
        try {
            return outcome.get(limits.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause; // the same failure the request that ran it got
            }
            throw new IllegalStateException("extraction failed", failed.getCause());
        } catch (TimeoutException tooLong) {
            throw new ApiException(504, "Timed out waiting for yt-dlp to read this URL");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while waiting for yt-dlp");
        }
    }

    private VideoInfo fresh(String url) {
        synchronized (kept) {
            Kept entry = kept.get(url);
            if (entry == null) {
                return null;
            }
            if (clock.millis() < entry.expiresAtMillis()) {
                return entry.info();
            }
            kept.remove(url);
            keptWeight -= entry.weight();
            return null;
        }
    }

    private void keep(String url, Extracted extracted) {
        if (limits.keepFor().isZero() || extracted.weight() > limits.maxWeight()) {
            return;
        }
        Kept entry = new Kept(extracted.info(), extracted.weight(), clock.millis() + limits.keepFor().toMillis());
        synchronized (kept) {
            Kept replaced = kept.put(url, entry);
            keptWeight += entry.weight() - (replaced == null ? 0 : replaced.weight());
            Iterator<Kept> oldestFirst = kept.values().iterator();
            while (kept.size() > limits.maxEntries() || keptWeight > limits.maxWeight()) {
                keptWeight -= oldestFirst.next().weight();
                oldestFirst.remove();
            }
        }
    }

    private ApiException busy() {
        refused.increment();
        return new ApiException(503, "Too many URLs are being read at once; retry in a few seconds",
                Map.of("Retry-After", "5"));
    }
}
