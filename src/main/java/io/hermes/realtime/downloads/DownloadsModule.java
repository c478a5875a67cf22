package io.hermes.realtime.downloads;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import io.hermes.realtime.redis.ReplicaWait;
import io.hermes.realtime.storage.StorageUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the downloads feature: the store, the events it publishes, and {@code /download},
 * {@code /download/{id}[/cancel]}, {@code /download/batch} and {@code /queue} (also at
 * {@code /download/queue}). The worker, which works on the same store, is a module of its own.
 */
public final class DownloadsModule {
    private final DownloadStore store;
    private final DownloadEvents events;
    private final PolledView queueView;
    private final CurrentState currentState;

    private DownloadsModule(DownloadStore store, DownloadEvents events, PolledView queueView,
            CurrentState currentState) {
        this.store = store;
        this.events = events;
        this.queueView = queueView;
        this.currentState = currentState;
    }

    /** Who owns a download: every visibility check asks it, in this module and outside (tokens, streams). */
    public static DownloadOwners owners(UnifiedJedis redis) {
        return new DownloadOwners(redis);
    }

    /**
     * @param urlRefusal       what refuses a submitted URL at once (a literal private address)
     * @param maxMetadataBytes the largest {@code metadata} of a download, as compact JSON
     * @param endWait          the replicas a download's final status waits for ({@code HERMES_REDIS_WAIT_REPLICAS})
     */
    public static DownloadsModule register(ServletRegistrar servlets, UnifiedJedis redis, Json json, Clock clock,
            EventPublisher publisher, Authenticator authenticator, DownloadOwners owners, StorageUsage storage,
            PolledResponses responses, BodyReader bodies, UrlRefusal urlRefusal, Path downloadDir,
            int maxMetadataBytes, ReplicaWait endWait) {
        DownloadStore store = new DownloadStore(redis, clock, endWait, json);
        DownloadEvents events = new DownloadEvents(publisher, json, clock);
        servlets.add("downloads", new DownloadsServlet(json, store, events, authenticator, storage, clock,
                urlRefusal, downloadDir, bodies, maxMetadataBytes), "/download/*");
        servlets.add("downloads-batch", new BatchServlet(json, store, events, authenticator, urlRefusal, bodies),
                "/download/batch");
        PolledView queueView = QueueServlet.view(json, store);
        QueueServlet queue = new QueueServlet(json, queueView, authenticator, responses);
        servlets.add("queue", queue, "/queue");
        servlets.add("queue-alias", queue, "/download/queue");
        return new DownloadsModule(store, events, queueView,
                new CurrentState(redis, owners, store, events, json));
    }

    public DownloadStore store() {
        return store;
    }

    public DownloadEvents events() {
        return events;
    }

    /** {@code /queue}'s answer, which the stream snapshot {@code queue} repeats. */
    public PolledView queueView() {
        return queueView;
    }

    /**
     * What {@code /events/downloads/{id}} sends first, as a {@code download_progress} event without an id:
     * the running step while there is one, else the state in the record; empty for an unknown download or a
     * record this instance cannot read.
     */
    public Optional<BusEvent> currentState(String downloadId) {
        return currentState.of(downloadId);
    }

    /**
     * Whether the end of {@code downloadId} is shown to {@code viewer} for the first time: a client that was shown
     * it already is told that its stream is over (see {@code /events/downloads/{id}}).
     */
    public boolean firstEndShown(String downloadId, String viewer) {
        return currentState.firstEndShown(downloadId, viewer);
    }
}
