package io.hermes.realtime.worker;

import io.hermes.realtime.downloads.Download;
import io.hermes.realtime.downloads.DownloadEvents;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.downloads.ProgressSteps;
import io.hermes.realtime.downloads.Status;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.redis.OutageLog;
import io.hermes.realtime.redis.RedisUnreachable;
import io.hermes.realtime.storage.StorageUsage;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The built-in download worker: {@code HERMES_WORKER_CONCURRENCY} threads ({@code hermes-worker-N}) each
 * claim a queued download from the queue every instance shares, transfer it and record the outcome; one
 * timer thread ({@code hermes-worker-lease}) renews the leases of running transfers and returns downloads
 * whose lease expired (their instance died) to the queue.
 *
 * <p>{@link #close()} stops claiming, stops running transfers (they go back on the queue for another
 * instance) and waits for every thread it started.
 *
 * <p><b>Redis outages</b> pause the worker, they never fail a download: claiming stops until Redis
 * answers, a running transfer goes on without writing progress, and its outcome is recorded once Redis is
 * back (retried every second). Only the first failure and the recovery are logged.
 */
final class DownloadWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DownloadWorker.class.getName());
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration CANCEL_POLL = Duration.ofMillis(200);
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration REDIS_RETRY = Duration.ofSeconds(1);
    private static final String PAUSED = "the worker pauses: no new claims; running transfers go on and their"
            + " outcome is recorded once Redis answers";
    private static final String RESUMED = "the worker resumes";

    private final DownloadStore store;
    private final DownloadEvents events;
    private final HttpTransfer transfer;
    private final MediaTransfer media;
    private final Json json;
    private final StorageUsage storage;
    private final ProgressSteps progressSteps;
    private final Path downloadDir;
    private final Path tempDir;
    private final long leaseMillis;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledThreadPoolExecutor leases;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final WorkerMetrics metrics;
    private final OutageLog outage = new OutageLog(LOG, "Redis unreachable for the download worker",
            "Redis answers the download worker again");
    // Only the lease thread touches these two.
    private boolean leaseUpkeepFailed;
    private long recoverNotBeforeNanos = System.nanoTime();

    DownloadWorker(DownloadStore store, DownloadEvents events, HttpTransfer transfer, MediaTransfer media,
            StorageUsage storage, Json json, Path downloadDir, Path tempDir, Duration lease, int concurrency,
            ThreadFactory leaseThreads, WorkerMetrics metrics) {
        this.store = store;
        this.events = events;
        this.transfer = transfer;
        this.media = media;
        this.storage = storage;
        this.downloadDir = downloadDir.toAbsolutePath().normalize();
        this.tempDir = tempDir.toAbsolutePath().normalize();
        this.leaseMillis = lease.toMillis();
        this.progressSteps = new ProgressSteps(store, events, json, leaseMillis);
        this.json = json;
        this.metrics = metrics;
        for (int i = 1; i <= concurrency; i++) {
            Thread thread = new Thread(this::loop, "hermes-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        this.leases = new ScheduledThreadPoolExecutor(1, leaseThreads);
    }

    void start() {
        threads.forEach(Thread::start);
        long period = Math.max(1000, leaseMillis / 3);
        leases.scheduleWithFixedDelay(this::keepLeases, period, period, TimeUnit.MILLISECONDS);
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    private void loop() {
        while (!stopped()) {
            try {
                long seen = store.queued().generation();
                Optional<String> claimed = store.claim(leaseMillis);
                outage.recovered(RESUMED);
                if (claimed.isPresent()) {
                    run(claimed.get());
                } else {
                    // Until a download is queued here (at once), or the next look (one queued elsewhere).
                    store.queued().awaitAfter(seen, IDLE_POLL);
                }
            } catch (InterruptedException interrupted) {
                return;
            } catch (RuntimeException failed) {
                // Redis unreachable or a bug: pause, so a broken dependency does not become a busy loop.
                if (RedisUnreachable.is(failed)) {
                    outage.failed(failed, PAUSED);
                } else {
                    LOG.log(Level.WARNING, "Worker loop failed: {0}", failed.toString());
                }
                try {
                    stopping.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Renews leases of what runs here, and recovers downloads whose instance stopped renewing theirs.
     * After Redis was unreachable, recovery waits one whole lease: no instance could renew meanwhile, so
     * an expired lease says nothing yet about which instance died, and every live one renews within a
     * third of a lease.
     */
    private void keepLeases() {
        try {
            store.renewLeases(Set.copyOf(running), leaseMillis);
            if (leaseUpkeepFailed) {
                leaseUpkeepFailed = false;
                recoverNotBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis);
            }
            outage.recovered(RESUMED);
            if (System.nanoTime() - recoverNotBeforeNanos < 0) {
                return;
            }
            // Announced as the recovery left each record: read again, it could already be claimed once more.
            store.recoverExpired(MAX_ATTEMPTS).forEach((id, download) -> {
                LOG.log(Level.WARNING, "Download {0} lost its worker; now {1}", id, download.status().wire());
                events.statusChanged(download);
            });
        } catch (RuntimeException failed) {
            if (RedisUnreachable.is(failed)) {
                leaseUpkeepFailed = true;
                outage.failed(failed, PAUSED);
            } else {
                LOG.log(Level.WARNING, "Lease upkeep failed: {0}", failed.toString());
            }
        }
    }

    /**
     * Runs one Redis step until Redis answers it, retrying every second while it is unreachable; any
     * other failure is thrown at once. Throws {@link InterruptedException} when the worker stops first.
     */
    private <T> T untilRedisAnswers(Supplier<T> step) throws InterruptedException {
        while (true) {
            try {
                T result = step.get();
                outage.recovered(RESUMED);
                return result;
            } catch (RuntimeException failed) {
                if (!RedisUnreachable.is(failed)) {
                    throw failed;
                }
                outage.failed(failed, PAUSED);
                if (stopping.await(REDIS_RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new InterruptedException("stopped while Redis was unreachable");
                }
            }
        }
    }

    private void untilRedisAnswers(Runnable step) throws InterruptedException {
        untilRedisAnswers(() -> {
            step.run();
            return null;
        });
    }

    private void run(String id) throws InterruptedException {
        running.add(id); // from now on the lease thread renews it, even while this thread waits for Redis
        metrics.started();
        try {
            Optional<Download> claimed = untilRedisAnswers(() -> store.find(id));
            if (claimed.isEmpty()) {
                return;
            }
            Download download = claimed.get();
            untilRedisAnswers(() -> events.statusChanged(download));
            Path target = download.get("output_directory") == null ? downloadDir
                    : downloadDir.resolve(download.get("output_directory")).normalize();
            if (!target.startsWith(downloadDir)) {
                fail(id, "Output directory is outside the download directory", "invalid_directory");
                return;
            }
            Reporter reporter = new Reporter(download);
            try {
                if (media.available() && asksForMedia(download)) {
                    completeMedia(download, runMedia(download, target, reporter), target);
                } else {
                    try {
                        TransferResult result = transfer.run(URI.create(download.url()), id, tempDir, target, reporter,
                                reporter::shouldStop);
                        complete(download, result);
                    } catch (HandOverException page) {
                        completeMedia(download, runMedia(download, target, reporter), target);
                    }
                }
            } catch (TransferCancelledException cancelled) {
                if (stopped()) {
                    requeueOnStop(id);
                }
                // otherwise cancelled or deleted by a user, or recovered elsewhere: the record already says so
            } catch (TransferException failed) {
                fail(id, failed.getMessage(), failed.errorType());
            }
        } finally {
            running.remove(id);
            metrics.ended();
        }
    }

    /**
     * Whether the submission asks for what only yt-dlp does: a format, subtitles or a thumbnail. Other URLs
     * start as plain transfers and go to yt-dlp when they answer with a page or a manifest.
     */
    private static boolean asksForMedia(Download download) {
        String format = download.get("format");
        return (format != null && !format.isBlank() && !format.equals("best"))
                || "true".equals(download.get("download_subtitles"))
                || "true".equals(download.get("download_thumbnail"));
    }

    private MediaResult runMedia(Download download, Path target, Reporter reporter)
            throws TransferException, TransferCancelledException, InterruptedException {
        MediaTransfer.Options options = new MediaTransfer.Options(download.get("format"),
                download.get("output_template"), "true".equals(download.get("download_subtitles")),
                subtitleLanguages(download), "true".equals(download.get("download_thumbnail")));
        return media.run(download.url(), download.id(), options, tempDir, target, reporter, reporter::shouldStop);
    }

    /** The stored JSON array of languages, or null for yt-dlp's default; a value that is not one fails the run. */
    private List<String> subtitleLanguages(Download download) throws TransferException {
        String stored = download.get("subtitle_languages");
        if (stored == null || stored.isBlank()) {
            return null;
        }
        try {
            List<String> languages = new ArrayList<>();
            json.mapper().readTree(stored).forEach(language -> languages.add(language.asText()));
            return languages;
        } catch (java.io.IOException malformed) {
            throw new TransferException(TransferException.EXTRACTION_ERROR, "Invalid subtitle languages");
        }
    }

    private void completeMedia(Download download, MediaResult result, Path target) throws InterruptedException {
        MediaDetails details = result.details();
        List<String> others = result.files().subList(1, result.files().size()).stream()
                .map(file -> downloadDir.relativize(file).toString()).toList();
        DownloadStore.CompletedFile file = new DownloadStore.CompletedFile(
                downloadDir.relativize(result.mainFile()).toString(), result.bytes(),
                result.mainFile().getFileName().toString(), result.elapsed(), others,
                details == null ? null : description(details));
        finish(download, file, result.files());
    }

    static DownloadStore.MediaDescription description(MediaDetails details) {
        return new DownloadStore.MediaDescription(details.title(), details.extractor(), details.description(),
                details.thumbnailUrl(), details.duration());
    }

    /** The instance is stopping: hand the download back now, or, if Redis does not answer, when its lease expires. */
    private void requeueOnStop(String id) {
        try {
            store.requeue(id);
            store.find(id).ifPresent(events::statusChanged);
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, "Could not re-queue download {0} while stopping ({1}); another instance"
                    + " recovers it when its lease expires", id, failed.toString());
        }
    }

    private void complete(Download download, TransferResult result) throws InterruptedException {
        DownloadStore.CompletedFile file = new DownloadStore.CompletedFile(downloadDir.relativize(result.file()).toString(),
                result.bytes(), result.fileName(), result.elapsed());
        finish(download, file, List.of(result.file()));
    }

    /** Records the completion; when it is refused (cancelled, deleted meanwhile), the files go. */
    private void finish(Download download, DownloadStore.CompletedFile file, List<Path> written)
            throws InterruptedException {
        DownloadStore.Transition done;
        try {
            done = untilRedisAnswers(() -> store.complete(download.id(), file));
        } catch (InterruptedException stoppedFirst) {
            // The record still says downloading: its lease runs out and another instance downloads it again,
            // so this copy must not stay behind as a duplicate.
            written.forEach(DownloadWorker::deleteQuietly);
            throw stoppedFirst;
        }
        if (!done.applied() && !completedByThisAttempt(download.id(), done, file.relativePath())) {
            // Cancelled or deleted in the last instant: honour it and do not keep the files.
            written.forEach(DownloadWorker::deleteQuietly);
            return;
        }
        metrics.completed();
        untilRedisAnswers(() -> store.find(download.id()).ifPresent(events::statusChanged));
        storage.invalidate();
        untilRedisAnswers(() -> events.storageChanged(storage.current()));
    }

    /**
     * Whether a completion that looks refused was in fact ours: when Redis ran the script but the reply was
     * lost with the connection, the retry finds the download already completed, with this very file.
     */
    private boolean completedByThisAttempt(String id, DownloadStore.Transition refused, String filePath)
            throws InterruptedException {
        return refused.previous() == Status.COMPLETED && untilRedisAnswers(() -> store.find(id))
                .map(record -> filePath.equals(record.get("file_path"))).orElse(false);
    }

    private void fail(String id, String message, String errorType) throws InterruptedException {
        if (untilRedisAnswers(() -> store.fail(id, message, errorType)).applied()) {
            metrics.failed();
            untilRedisAnswers(() -> store.find(id).ifPresent(events::statusChanged));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // best effort; the storage view will show it
        }
    }

    /**
     * Hands a transfer's byte counts to its {@link ProgressSteps.Series} (which paces, stores and publishes
     * them) and answers "should this transfer stop?": when the instance stops, or the download is no longer
     * downloading (cancelled, deleted, recovered elsewhere), checked in Redis at most every 200 ms.
     *
     * <p>While Redis is unreachable the transfer goes on: progress is not written (the next step after
     * Redis returns writes it, renewing the lease), "stop?" keeps its last answer, and Redis is tried again
     * only once a second, so a Redis that times out slows the transfer down very little.
     */
    private final class Reporter implements TransferListener, MediaTransfer.Listener {
        private final Download download;
        private final ProgressSteps.Series steps;
        private volatile boolean lost;
        private volatile long lastCheckNanos;
        private volatile long lastRedisFailureNanos = System.nanoTime() - REDIS_RETRY.toNanos();
        private String fileName = "";

        Reporter(Download download) {
            this.download = download;
            this.steps = progressSteps.start(download);
        }

        @Override
        public void onStart(String fileName, long totalBytes) {
            this.fileName = fileName;
        }

        /** Pages and manifests go to yt-dlp, when there is one; without it, the page is the file. */
        @Override
        public boolean handsOver(String contentType, String path) {
            return media.available() && MediaTypes.isForYtDlp(contentType, path);
        }

        @Override
        public void onDetails(MediaDetails details) {
            if (details.title() != null) {
                fileName = details.title();
            }
            if (waitingForRedis(System.nanoTime())) {
                return; // the completion stores them again
            }
            try {
                if (store.describe(download.id(), description(details)).applied()) {
                    store.find(download.id()).ifPresent(latest -> {
                        steps.update(latest);
                        events.statusChanged(latest);
                    });
                }
                outage.recovered(RESUMED);
            } catch (RuntimeException failed) {
                redisFailed(failed);
            }
        }

        @Override
        public void onProgress(MediaProgress.Step step, String title) {
            if (waitingForRedis(System.nanoTime())) {
                return;
            }
            try {
                ProgressSteps.Outcome outcome = steps.offer(step.percentage(), step.downloadedBytes(),
                        step.totalBytes(), step.speed(), step.eta(), fileName);
                if (outcome == ProgressSteps.Outcome.PACED) {
                    return;
                }
                outage.recovered(RESUMED);
                if (outcome == ProgressSteps.Outcome.LOST) {
                    lost = true;
                }
            } catch (RuntimeException failed) {
                redisFailed(failed);
            }
        }

        @Override
        public void onProcessing() {
            if (waitingForRedis(System.nanoTime())) {
                return;
            }
            try {
                if (store.processing(download.id()).applied()) {
                    store.find(download.id()).ifPresent(events::statusChanged);
                }
            } catch (RuntimeException failed) {
                redisFailed(failed);
            }
        }

        @Override
        public void onProgress(long downloadedBytes, long totalBytes) {
            if (waitingForRedis(System.nanoTime())) {
                return;
            }
            try {
                ProgressSteps.Outcome outcome = steps.offer(downloadedBytes, totalBytes, fileName);
                if (outcome == ProgressSteps.Outcome.PACED) {
                    return; // Redis was not asked, so this says nothing about an outage
                }
                outage.recovered(RESUMED);
                if (outcome == ProgressSteps.Outcome.LOST) {
                    lost = true;
                }
            } catch (RuntimeException failed) {
                redisFailed(failed);
            }
        }

        boolean shouldStop() {
            if (stopped() || lost) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheckNanos >= CANCEL_POLL.toNanos() && !waitingForRedis(now)) {
                lastCheckNanos = now;
                try {
                    lost = store.statusOf(download.id())
                            .map(status -> status != Status.DOWNLOADING && status != Status.PROCESSING).orElse(true);
                } catch (RuntimeException failed) {
                    redisFailed(failed);
                }
            }
            return lost;
        }

        private boolean waitingForRedis(long now) {
            return now - lastRedisFailureNanos < REDIS_RETRY.toNanos();
        }

        private void redisFailed(RuntimeException failed) {
            if (!RedisUnreachable.is(failed)) {
                throw failed;
            }
            lastRedisFailureNanos = System.nanoTime();
            outage.failed(failed, PAUSED);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping.countDown();
        store.queued().signal(); // idle threads look up, see the stop and end
        leases.shutdownNow();
        for (Thread thread : threads) {
            thread.join(10_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(2000);
            }
        }
        leases.awaitTermination(5, TimeUnit.SECONDS);
    }
}
