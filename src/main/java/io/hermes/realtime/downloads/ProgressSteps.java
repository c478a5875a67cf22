package io.hermes.realtime.downloads;

import io.hermes.realtime.json.Json;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one owner of a progress step, from a running transfer's byte counts to the bus: it measures the
 * reading, paces the steps, stores each (the record's progress, the contract's progress key, the lease) and
 * publishes it as {@code download_progress}, encoding the event once for the key and the bus.
 *
 * <p>A step passes three paces on its way to a browser, each with its own job:
 * <ol>
 *   <li>the transfer's: {@code worker.HttpTransfer} reports its byte count at most every 100 ms, so
 *       counting never costs more than the copy loop;
 *   <li>this one, the worker's: a step is stored and published at most every {@value #MIN_GAP_MILLIS} ms
 *       unless the percentage moved at least {@value #MIN_POINTS} point, and the last one always, so
 *       Redis and every stream see a few steps a second however fast the bytes come;
 *   <li>the stream's: {@code stream.ProgressThrottle} thins steps further for a client that asked for
 *       {@code ?progress_interval_ms=}, per download, always passing status changes and the latest step.
 * </ol>
 */
public final class ProgressSteps {
    static final long MIN_GAP_MILLIS = 500;
    static final double MIN_POINTS = 1.0;

    private final DownloadStore store;
    private final DownloadEvents events;
    private final Json json;
    private final long leaseMillis;
    private final LongSupplier nanoTime;

    /** @param leaseMillis how long each stored step extends the running download's lease */
    public ProgressSteps(DownloadStore store, DownloadEvents events, Json json, long leaseMillis) {
        this(store, events, json, leaseMillis, System::nanoTime);
    }

    ProgressSteps(DownloadStore store, DownloadEvents events, Json json, long leaseMillis, LongSupplier nanoTime) {
        this.store = store;
        this.events = events;
        this.json = json;
        this.leaseMillis = leaseMillis;
        this.nanoTime = nanoTime;
    }

    /** What became of one reading. */
    public enum Outcome {
        /** Too soon after the last step, and too small a move: nothing was written. */
        PACED,
        /** Stored and published. */
        RECORDED,
        /** The download is no longer this transfer's (cancelled, deleted, recovered elsewhere): nothing was written. */
        LOST
    }

    /**
     * Records one step now, unpaced: a download {@code elapsedSeconds} into its transfer has
     * {@code downloadedBytes} of {@code totalBytes} (−1 when unknown). For programs that simulate a worker's
     * downloads (bench's); a worker's transfer goes through a {@link Series}. False when the download is no
     * longer running.
     */
    public boolean record(Download download, long downloadedBytes, long totalBytes, double elapsedSeconds,
            String fileName) {
        return record(download, ProgressReading.measured(downloadedBytes, totalBytes, elapsedSeconds), fileName);
    }

    /** Stores the reading (record, progress key, lease) and publishes it as the same text; false when lost. */
    private boolean record(Download download, ProgressReading reading, String fileName) {
        String data = json.write(events.progressData(download.named(fileName), reading));
        if (!store.recordProgress(download.id(), json.write(reading.wireForm()), data, fileName, leaseMillis)) {
            return false;
        }
        events.progressed(download, data);
        return true;
    }

    /** The steps of one running download, started now. */
    public Series start(Download download) {
        return new Series(download, nanoTime.getAsLong());
    }

    /** One transfer's steps. Called by that transfer's thread only, so it keeps no locks. */
    public final class Series {
        /** As read when the transfer started, then {@link Download#named named} once, at its first step. */
        private Download download;
        private final long startedNanos;
        private long lastStepNanos;
        private double lastPercentage = -1;

        private Series(Download download, long startedNanos) {
            this.download = download;
            this.startedNanos = startedNanos;
            this.lastStepNanos = startedNanos - TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MILLIS);
        }

        /**
         * Takes one reading ({@code totalBytes} −1 when unknown) and, when it is due, stores and publishes it.
         * A Redis failure is thrown as it is, with the step left due, so the next reading tries again.
         */
        public Outcome offer(long downloadedBytes, long totalBytes, String fileName) {
            long now = nanoTime.getAsLong();
            ProgressReading reading = ProgressReading.measured(downloadedBytes, totalBytes, (now - startedNanos) / 1e9);
            return offer(reading, totalBytes >= 0 && downloadedBytes >= totalBytes, fileName, now);
        }

        /**
         * Takes one reading whose percentage, speed and ETA the transfer measured itself (yt-dlp's, across
         * the parts of one download), and, when it is due, stores and publishes it.
         *
         * @param totalBytes −1 when unknown
         * @param speed      bytes per second, or null
         * @param eta        seconds, or null
         */
        public Outcome offer(double percentage, long downloadedBytes, long totalBytes, Double speed, Long eta,
                String fileName) {
            ProgressReading reading = new ProgressReading(Math.max(0, Math.min(100, percentage)),
                    Status.DOWNLOADING.wire(), downloadedBytes, totalBytes < 0 ? null : totalBytes, speed, eta);
            return offer(reading, percentage >= 100, fileName, nanoTime.getAsLong());
        }

        /** The record as it is now (its title became known, say), for the steps that follow. */
        public void update(Download latest) {
            if (latest.id().equals(download.id())) {
                download = latest;
            }
        }

        private Outcome offer(ProgressReading reading, boolean last, String fileName, long now) {
            if (!last && now - lastStepNanos < TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MILLIS)
                    && reading.percentage() - lastPercentage < MIN_POINTS) {
                return Outcome.PACED;
            }
            download = download.named(fileName);
            if (!record(download, reading, fileName)) {
                return Outcome.LOST;
            }
            lastStepNanos = now;
            lastPercentage = reading.percentage();
            return Outcome.RECORDED;
        }
    }
}
