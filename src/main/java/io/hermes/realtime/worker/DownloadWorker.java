package io.hermes.realtime.worker;

import io.hermes.realtime.downloads.Download;
import io.hermes.realtime.downloads.DownloadEvents;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.downloads.Status;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.Timestamps;
import io.hermes.realtime.storage.StorageUsage;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The built-in download worker: {@code HERMES_WORKER_CONCURRENCY} threads ({@code hermes-worker-N}) each
 * claim a queued download from the queue every instance shares, transfer it and record the outcome; one
 * timer thread ({@code hermes-worker-lease}) renews the leases of running transfers and returns downloads
 * whose lease expired (their instance died) to the queue.
 *
 * <p>{@link #close()} stops claiming, stops running transfers (they go back on the queue for another
 * instance) and waits for every thread it started.
 */
public final class DownloadWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DownloadWorker.class.getName());
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration CANCEL_POLL = Duration.ofMillis(200);
    private static final int MAX_ATTEMPTS = 3;

    private final DownloadStore store;
    private final DownloadEvents events;
    private final HttpTransfer transfer;
    private final StorageUsage storage;
    private final Json json;
    private final Clock clock;
    private final Path downloadDir;
    private final Path tempDir;
    private final long leaseMillis;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledThreadPoolExecutor leases;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final WorkerMetrics metrics;

    public DownloadWorker(DownloadStore store, DownloadEvents events, HttpTransfer transfer, StorageUsage storage,
            Json json, Clock clock, Path downloadDir, Path tempDir, Duration lease, int concurrency,
            ThreadFactory leaseThreads, WorkerMetrics metrics) {
        this.store = store;
        this.events = events;
        this.transfer = transfer;
        this.storage = storage;
        this.json = json;
        this.clock = clock;
        this.downloadDir = downloadDir.toAbsolutePath().normalize();
        this.tempDir = tempDir.toAbsolutePath().normalize();
        this.leaseMillis = lease.toMillis();
        this.metrics = metrics;
        for (int i = 1; i <= concurrency; i++) {
            Thread thread = new Thread(this::loop, "hermes-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        this.leases = new ScheduledThreadPoolExecutor(1, leaseThreads);
    }

    public void start() {
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
                Optional<String> claimed = store.claim(leaseMillis);
                if (claimed.isPresent()) {
                    run(claimed.get());
                } else {
                    stopping.await(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException interrupted) {
                return;
            } catch (RuntimeException failed) {
                // Redis unreachable or a bug: pause, so a broken dependency does not become a busy loop.
                LOG.log(Level.WARNING, "Worker loop failed: {0}", failed.toString());
                try {
                    stopping.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Renews leases of what runs here, and recovers downloads whose instance stopped renewing theirs. */
    private void keepLeases() {
        try {
            store.renewLeases(Set.copyOf(running), leaseMillis);
            store.recoverExpired(MAX_ATTEMPTS).forEach((id, status) -> {
                LOG.log(Level.WARNING, "Download {0} lost its worker; now {1}", id, status.wire());
                store.find(id).ifPresent(events::statusChanged);
            });
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, "Lease upkeep failed: {0}", failed.toString());
        }
    }

    private void run(String id) throws InterruptedException {
        Optional<Download> claimed = store.find(id);
        if (claimed.isEmpty()) {
            return;
        }
        Download download = claimed.get();
        running.add(id);
        metrics.started();
        try {
            events.statusChanged(download);
            Path target = download.get("output_directory") == null ? downloadDir
                    : downloadDir.resolve(download.get("output_directory")).normalize();
            if (!target.startsWith(downloadDir)) {
                fail(id, "Output directory is outside the download directory", "invalid_directory");
                return;
            }
            Reporter reporter = new Reporter(download);
            try {
                TransferResult result = transfer.run(URI.create(download.url()), id, tempDir, target, reporter,
                        reporter::shouldStop);
                complete(download, result);
            } catch (TransferCancelledException cancelled) {
                if (stopped()) {
                    store.requeue(id);
                    store.find(id).ifPresent(events::statusChanged);
                }
                // otherwise cancelled or deleted by a user: the record already says so
            } catch (TransferException failed) {
                fail(id, failed.getMessage(), failed.errorType());
            }
        } finally {
            running.remove(id);
            metrics.ended();
        }
    }

    private void complete(Download download, TransferResult result) {
        Map<String, String> fields = new HashMap<>();
        fields.put("completed_at", Timestamps.format(clock.instant()));
        fields.put("message", "Download completed");
        fields.put("file_path", downloadDir.relativize(result.file()).toString());
        fields.put("file_size", Long.toString(result.bytes()));
        fields.put("title", result.fileName());
        fields.put("current_filename", result.fileName());
        fields.put("transfer_ms", Long.toString(result.elapsed().toMillis()));
        fields.put("duration", String.format(java.util.Locale.ROOT, "%.3f", result.elapsed().toMillis() / 1000.0));
        fields.put("progress", json.write(new io.hermes.realtime.downloads.Progress(100.0, "completed", result.bytes(),
                result.bytes(), null, 0L).wireForm()));
        DownloadStore.Transition done = store.transition(download.id(), Status.COMPLETED, Set.of(Status.DOWNLOADING,
                Status.PROCESSING), fields);
        if (!done.applied()) {
            // Cancelled or deleted in the last instant: honour it and do not keep the file.
            deleteQuietly(result.file());
            return;
        }
        metrics.completed();
        store.find(download.id()).ifPresent(events::statusChanged);
        storage.invalidate();
        events.storageChanged(storage.current());
    }

    private void fail(String id, String message, String errorType) {
        Map<String, String> fields = new HashMap<>();
        fields.put("completed_at", Timestamps.format(clock.instant()));
        fields.put("message", "Download failed: " + message);
        fields.put("error", message);
        fields.put("error_type", errorType);
        if (store.transition(id, Status.FAILED, Set.of(Status.DOWNLOADING, Status.PROCESSING), fields).applied()) {
            metrics.failed();
            store.find(id).ifPresent(events::statusChanged);
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
     * Publishes a transfer's progress (at most every 0.5 s or 1 %, whichever comes first) and answers
     * "should this transfer stop?": when the instance stops, or the download is no longer downloading
     * (cancelled, deleted, recovered elsewhere), checked in Redis at most every 200 ms.
     */
    private final class Reporter implements TransferListener {
        private final Download download;
        private final long startedNanos = System.nanoTime();
        private volatile boolean lost;
        private volatile long lastCheckNanos;
        private long lastPublishNanos;
        private double lastPercentage = -1;
        private String fileName = "";

        Reporter(Download download) {
            this.download = download;
        }

        @Override
        public void onStart(String fileName, long totalBytes) {
            this.fileName = fileName;
        }

        @Override
        public void onProgress(long downloadedBytes, long totalBytes) {
            long now = System.nanoTime();
            double elapsed = (now - startedNanos) / 1e9;
            io.hermes.realtime.downloads.Progress progress =
                    io.hermes.realtime.downloads.Progress.measured(downloadedBytes, totalBytes, elapsed);
            boolean finished = totalBytes >= 0 && downloadedBytes >= totalBytes;
            if (!finished && now - lastPublishNanos < 500_000_000L && progress.percentage() - lastPercentage < 1.0) {
                return;
            }
            lastPublishNanos = now;
            lastPercentage = progress.percentage();
            String snapshot = json.write(events.progressData(download, progress));
            if (!store.recordProgress(download.id(), json.write(progress.wireForm()), snapshot, fileName, leaseMillis)) {
                lost = true;
                return;
            }
            events.progressed(download, snapshot);
        }

        boolean shouldStop() {
            if (stopped() || lost) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheckNanos >= CANCEL_POLL.toNanos()) {
                lastCheckNanos = now;
                lost = store.statusOf(download.id()).map(status -> status != Status.DOWNLOADING).orElse(true);
            }
            return lost;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping.countDown();
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
