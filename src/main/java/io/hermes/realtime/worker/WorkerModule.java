package io.hermes.realtime.worker;

import io.hermes.realtime.downloads.DownloadsModule;
import io.hermes.realtime.egress.AddressPolicy;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.media.ProxyLease;
import io.hermes.realtime.media.YtDlp;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.storage.StorageUsage;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in worker: threads that claim queued downloads and fetch them over HTTP, with the
 * {@code HttpClient} they share. Started by {@link #start}; {@link #close} stops claiming, puts running
 * transfers back on the queue and waits for every thread of the worker.
 */
public final class WorkerModule implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WorkerModule.class.getName());
    /** How long connecting to a download's server may take. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the settings tell the worker.
     *
     * @param idleTimeout  longest wait for a transfer's next byte
     * @param totalTimeout longest run of one transfer, redirects included
     * @param lease        how long a running download stays claimed without renewal
     * @param concurrency  transfers at once: one thread each
     */
    public record Config(Path downloadDir, Path tempDir, long maxDownloadBytes, Duration idleTimeout,
            Duration totalTimeout, int maxRedirects, Duration lease, int concurrency) {
    }

    private final DownloadWorker worker;
    private final HttpTransferClient client;

    private WorkerModule(DownloadWorker worker, HttpTransferClient client) {
        this.worker = worker;
        this.client = client;
    }

    /**
     * Builds the worker and starts its threads.
     *
     * @param addresses which URLs may be fetched, asked on every redirect hop
     * @param ytdlp     media pages and manifests go to it, when it is available
     * @param proxies   one egress proxy lease per yt-dlp run
     * @param threads   a named thread factory for a prefix, whose threads the caller waits for once stopped
     */
    public static WorkerModule start(Config config, DownloadsModule downloads, AddressPolicy addresses,
            YtDlp ytdlp, Supplier<ProxyLease> proxies, StorageUsage storage, Json json, Clock clock, Metrics metrics,
            Function<String, ThreadFactory> threads) {
        TransferLimits limits = new TransferLimits(config.maxDownloadBytes(), CONNECT_TIMEOUT, config.idleTimeout(),
                config.totalTimeout(), config.maxRedirects());
        HttpTransferClient client = new HttpTransferClient(CONNECT_TIMEOUT, threads.apply("hermes-http"));
        WorkerModule module = null;
        try {
            DownloadWorker worker = new DownloadWorker(downloads.store(), downloads.events(),
                    new HttpTransfer(client.client(), addresses, limits, clock),
                    new MediaTransfer(ytdlp, proxies, limits, clock, json.mapper()), storage, json,
                    config.downloadDir(), config.tempDir(), config.lease(), config.concurrency(),
                    threads.apply("hermes-worker-lease"), new WorkerMetrics(metrics));
            module = new WorkerModule(worker, client);
            worker.start();
            return module;
        } catch (RuntimeException failed) {
            closeQuietly(module != null ? module : client); // what was made so far: its threads must not outlive us
            throw failed;
        }
    }

    /** Stops the worker first, so that no transfer is left using the client, then the client. */
    @Override
    public void close() throws Exception {
        try {
            worker.close();
        } finally {
            client.close();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception failed) {
            LOG.log(Level.WARNING, "Failed to close " + resource.getClass().getSimpleName() + ": " + failed);
        }
    }
}
