package io.hermes.realtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfoCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final Metrics metrics = new Metrics();
    private final FakeSource source = new FakeSource();
    private final ExecutorService requests = Executors.newCachedThreadPool();

    /** Answers each URL with a video titled after it, counting calls; a URL can be held until released. */
    private static final class FakeSource implements InfoCache.Source {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
        volatile RuntimeException failure;
        volatile long weight = 100;

        @Override
        public InfoCache.Extracted extract(String url) {
            calls.computeIfAbsent(url, any -> new AtomicInteger()).incrementAndGet();
            entered.computeIfAbsent(url, any -> new CountDownLatch(1)).countDown();
            CountDownLatch hold = held.get(url);
            if (hold != null) {
                try {
                    hold.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw failure;
            }
            return new InfoCache.Extracted(video(url), weight);
        }

        int calls(String url) {
            return calls.getOrDefault(url, new AtomicInteger()).get();
        }

        CountDownLatch hold(String url) {
            CountDownLatch latch = new CountDownLatch(1);
            held.put(url, latch);
            return latch;
        }

        void awaitEntered(String url) throws InterruptedException {
            assertTrue(entered.computeIfAbsent(url, any -> new CountDownLatch(1)).await(5, TimeUnit.SECONDS),
                    url + " extraction started");
        }
    }

    private static VideoInfo video(String url) {
        return new VideoInfo("id", url, null, null, null, null, null, url, "generic", List.of(), List.of(), Map.of(),
                null, null, null, List.of());
    }

    private InfoCache cache(Duration keepFor, int maxRunning, int maxWaiting, int maxEntries, long maxWeight) {
        return new InfoCache(source, clock, new InfoCache.Limits(keepFor, maxRunning, maxWaiting, WAIT, maxEntries,
                maxWeight), metrics);
    }

    private InfoCache cache() {
        return cache(Duration.ofMinutes(5), 4, 16, 500, 1 << 20);
    }

    @AfterEach
    void stop() {
        requests.shutdownNow();
    }

    @Test
    void aSecondRequestIsAnsweredFromMemoryWithoutExtracting() {
        InfoCache cache = cache();
        VideoInfo first = cache.get("http://a/");
        assertSame(first, cache.get("http://a/"));
        assertEquals(1, source.calls("http://a/"));
        assertTrue(metrics.scrape().contains("hermes_info_cache_hits_total 1"), metrics.scrape());
        assertTrue(metrics.scrape().contains("hermes_info_extractions_total 1"), metrics.scrape());
    }

    @Test
    void anAnswerIsExtractedAgainOnceItsTimeIsUp() {
        InfoCache cache = cache();
        cache.get("http://a/");
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        cache.get("http://a/");
        assertEquals(1, source.calls("http://a/"));
        clock.advance(Duration.ofMillis(1));
        cache.get("http://a/");
        assertEquals(2, source.calls("http://a/"));
    }

    @Test
    void aZeroTimeKeepsNothing() {
        InfoCache cache = cache(Duration.ZERO, 4, 16, 500, 1 << 20);
        cache.get("http://a/");
        cache.get("http://a/");
        assertEquals(2, source.calls("http://a/"));
    }

    @Test
    void identicalRequestsAtOnceShareOneExtraction() throws Exception {
        InfoCache cache = cache(Duration.ZERO, 1, 16, 500, 1 << 20);
        CountDownLatch release = source.hold("http://a/");
        Future<VideoInfo> first = requests.submit(() -> cache.get("http://a/"));
        source.awaitEntered("http://a/");
        Future<VideoInfo> second = requests.submit(() -> cache.get("http://a/"));
        Await.until(WAIT, () -> metrics.scrape().contains("hermes_info_shared_total 1"), "the second request waits");
        release.countDown();
        assertSame(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
        assertEquals(1, source.calls("http://a/"), "one yt-dlp run, even with the running limit at 1 and no cache");
    }

    @Test
    void aFailureReachesEveryoneWaitingAndIsNotKept() throws Exception {
        InfoCache cache = cache();
        source.failure = ApiException.invalid("Unsupported URL: http://a/");
        CountDownLatch release = source.hold("http://a/");
        Future<VideoInfo> first = requests.submit(() -> cache.get("http://a/"));
        source.awaitEntered("http://a/");
        Future<VideoInfo> second = requests.submit(() -> cache.get("http://a/"));
        Await.until(WAIT, () -> metrics.scrape().contains("hermes_info_shared_total 1"), "the second request waits");
        release.countDown();
        for (Future<VideoInfo> request : List.of(first, second)) {
            Exception failed = assertThrows(Exception.class, () -> request.get(5, TimeUnit.SECONDS));
            assertEquals(422, ((ApiException) failed.getCause()).status());
        }
        source.failure = null;
        source.held.clear();
        assertEquals("http://a/", cache.get("http://a/").title());
        assertEquals(2, source.calls("http://a/"), "the failure was not kept");
    }

    @Test
    void beyondTheRunningLimitANewUrlIsRefusedAtOnceWithRetryAfter() throws Exception {
        InfoCache cache = cache(Duration.ofMinutes(5), 1, 16, 500, 1 << 20);
        CountDownLatch release = source.hold("http://a/");
        Future<VideoInfo> first = requests.submit(() -> cache.get("http://a/"));
        source.awaitEntered("http://a/");
        ApiException busy = assertThrows(ApiException.class, () -> cache.get("http://b/"));
        assertEquals(503, busy.status());
        assertEquals("5", busy.headers().get("Retry-After"));
        assertEquals(0, source.calls("http://b/"));
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertEquals("http://b/", cache.get("http://b/").title(), "free again once the first ended");
    }

    @Test
    void beyondTheWaitingLimitEvenASharedRequestIsRefused() throws Exception {
        InfoCache cache = cache(Duration.ofMinutes(5), 4, 2, 500, 1 << 20);
        CountDownLatch release = source.hold("http://a/");
        Future<VideoInfo> first = requests.submit(() -> cache.get("http://a/"));
        source.awaitEntered("http://a/");
        Future<VideoInfo> second = requests.submit(() -> cache.get("http://a/"));
        Await.until(WAIT, () -> metrics.scrape().contains("hermes_info_shared_total 1"), "the second request waits");
        assertEquals(503, assertThrows(ApiException.class, () -> cache.get("http://a/")).status());
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertTrue(metrics.scrape().contains("hermes_info_refused_total 1"), metrics.scrape());
    }

    @Test
    void theLeastRecentlyAskedForLeavesFirst() {
        InfoCache cache = cache(Duration.ofMinutes(5), 4, 16, 2, 1 << 20);
        cache.get("http://a/");
        cache.get("http://b/");
        cache.get("http://a/");
        cache.get("http://c/"); // b is the least recently asked for
        cache.get("http://a/");
        cache.get("http://c/");
        assertEquals(1, source.calls("http://a/"));
        assertEquals(1, source.calls("http://c/"));
        cache.get("http://b/");
        assertEquals(2, source.calls("http://b/"));
    }

    @Test
    void theOutputKeptIsBoundedByWeight() {
        InfoCache cache = cache(Duration.ofMinutes(5), 4, 16, 500, 250);
        cache.get("http://a/");
        cache.get("http://b/");
        cache.get("http://c/"); // 300 > 250: a leaves
        cache.get("http://b/");
        cache.get("http://c/");
        cache.get("http://a/");
        assertEquals(List.of(2, 1, 1), List.of(source.calls("http://a/"), source.calls("http://b/"),
                source.calls("http://c/")));
        source.weight = 251;
        cache.get("http://d/");
        cache.get("http://d/");
        assertEquals(2, source.calls("http://d/"), "heavier than the whole budget: never kept");
    }
}
