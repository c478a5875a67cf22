package io.hermes.realtime.stream;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.BusModule;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.bus.RedisSubscriber;
import io.hermes.realtime.downloads.DownloadOwners;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.polling.PolledView;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SSE endpoints and what serves them: the registry of open streams, their writers and clock, and the
 * bus subscription that feeds them. It owns the {@code hermes-sse-writer-N} and {@code hermes-sse-clock}
 * threads; stopping is in two steps, {@link #endStreams} (while everything still runs) and {@link #close}.
 */
public final class StreamsModule implements AutoCloseable {
    private final ConnectionRegistry registry;
    private final StreamClock clock;
    private final WriterPool writers;
    private final CompressionSlots compression;
    private final int retryMillis;
    private final StreamServlet sessionStream;

    /**
     * The settings streams use.
     *
     * @param enabled               {@code HERMES_ENABLE_SSE}: when false every endpoint answers 503
     * @param progressIntervalMillis the default gap between one download's progress steps on a stream
     */
    public record Config(boolean enabled, int maxConnections, Duration heartbeat, Duration lifetime,
            int clientBuffer, int retryMillis, int compressionMaxStreams, int progressIntervalMillis) {
    }

    /**
     * What streams take from other features, each as the narrowest thing that serves.
     *
     * @param revokedAmong  given credential ids, those that are revoked (read from the store)
     * @param downloadState a download's current state as its {@code download_progress} event, when it exists
     * @param systemInit    the data of the {@code init} event {@code /events/system} opens with
     * @param views         the polling endpoints' answers by name, which {@code ?snapshot=} repeats
     * @param sessionState  a task session's current state as its {@code session_status} event, with its owner
     *                      and the id of the event that set it, when it exists
     * @param feed          what NotifyHub's {@code /events} needs
     * @param firstEndShown given a download id and a viewer (an SSE token's digest), whether that viewer is shown
     *                      the end of the download for the first time (recorded, so it is false from then on)
     */
    public record Sources(Authenticator authenticator, DownloadOwners owners,
            Function<Collection<String>, Set<String>> revokedAmong, Function<String, Optional<BusEvent>> downloadState,
            Supplier<Object> systemInit, Map<String, PolledView> views,
            Function<String, Optional<BusEvent>> sessionState, Feed feed, BiPredicate<String, String> firstEndShown) {
    }

    /**
     * NotifyHub's feed at {@code /events} of the context root (contract section 9).
     *
     * @param readers who may read it: the authenticator, or it with anonymous reading allowed
     * @param init    the data of the {@code init} event it opens with
     */
    public record Feed(Authenticator readers, Supplier<Object> init) {
    }

    private StreamsModule(ConnectionRegistry registry, StreamClock clock, WriterPool writers,
            CompressionSlots compression, int retryMillis, StreamServlet sessionStream) {
        this.sessionStream = sessionStream;
        this.registry = registry;
        this.clock = clock;
        this.writers = writers;
        this.compression = compression;
        this.retryMillis = retryMillis;
    }

    /**
     * Builds the stream side, subscribes it to {@code bus} and registers every {@code /events/…} endpoint.
     * {@code threads} names a thread factory for each prefix (the composition root waits for them at stop).
     */
    public static StreamsModule register(ServletRegistrar servlets, Config config, Json json, Clock time,
            Metrics metrics, BusModule bus, Sources sources, Function<String, ThreadFactory> threads) {
        ControlFrames frames = new ControlFrames(json, time);
        ConnectionRegistry registry = new ConnectionRegistry(config.maxConnections());
        // Revoking a credential on any instance ends the streams opened with it on every instance.
        RevokedStreams revokedStreams = new RevokedStreams(registry, sources.revokedAmong());
        WriterPool writers = new WriterPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                threads.apply("hermes-sse-writer"));
        StreamClock clock = new StreamClock(registry, frames, config.heartbeat(), config.lifetime(),
                threads.apply("hermes-sse-clock"), ThreadLocalRandom.current()::nextDouble, time);
        CompressionSlots compression = new CompressionSlots(config.compressionMaxStreams());
        StreamHandshake handshake = new StreamHandshake(registry, bus.replay(), frames, clock, writers,
                config.clientBuffer(), config.retryMillis(), new StreamMetrics(metrics, registry, compression, time),
                compression, config.progressIntervalMillis(), revokedStreams);
        RedisSubscriber subscriber = bus.subscribe(new Broadcaster(registry, frames), revokedStreams,
                threads.apply("hermes-redis-watchdog"), threads.apply("hermes-bus-canary"));

        boolean enabled = config.enabled();
        Authenticator authenticator = sources.authenticator();
        ViewSnapshots snapshots = new ViewSnapshots(sources.views(), json);
        StreamRoutes routes = new StreamRoutes(sources.owners(), sources.sessionState(), sources.firstEndShown());
        servlets.add("events-health", new EventsHealthServlet(json, registry, subscriber, bus.canary(), time, enabled,
                (int) config.heartbeat().toSeconds()), "/events/health");
        servlets.add("events-stream", new StreamServlet(json, enabled, handshake, authenticator, routes.multiplexed(),
                snapshots), "/events/stream");
        servlets.add("events-downloads", new StreamServlet(json, enabled, handshake, authenticator,
                routes.download(sources.downloadState()), snapshots), "/events/downloads/*");
        for (Channel channel : List.of(Channel.QUEUE, Channel.STATS, Channel.STORAGE)) {
            servlets.add("events-" + channel.shortName(), new StreamServlet(json, enabled, handshake, authenticator,
                    routes.channel(channel, List::of), snapshots), "/events/" + channel.shortName());
        }
        // The recent notifications are read after the replay's position, and carry it: a notification published
        // meanwhile is either in them (and its live frame dropped) or after it (and sent), never both.
        servlets.add("events-system", new StreamServlet(json, enabled, handshake, authenticator,
                routes.channel(Channel.SYSTEM, () -> initAfter(bus, frames, sources.systemInit())), snapshots),
                "/events/system");
        servlets.addAtRoot("notifyhub-events", new StreamServlet(json, enabled, handshake, sources.feed().readers(),
                routes.feed(() -> initAfter(bus, frames, sources.feed().init())), snapshots), "/events");
        // Not mapped here: its path has the session id in its middle, so the sessions servlet hands it on.
        StreamServlet sessionStream = new StreamServlet(json, enabled, handshake, authenticator, routes.session(),
                snapshots);
        return new StreamsModule(registry, clock, writers, compression, config.retryMillis(), sessionStream);
    }

    /** The {@code init} event of {@code data}, read after the replay's newest id and carrying it. */
    private static List<SseFrame> initAfter(BusModule bus, ControlFrames frames, Supplier<Object> data) {
        Optional<EventId> position = bus.replay().tail();
        return List.of(frames.snapshotAt(position, "init", data.get()));
    }

    /**
     * {@code /sessions/{id}/status/stream} (contract section 8), for the servlet that owns {@code /sessions/*} to
     * hand such a request to; it reads the session id from the first segment of the path info.
     */
    public HttpServlet sessionStream() {
        return sessionStream;
    }

    /** Starts the heartbeats, pings and lifetimes; streams may open before (their ends are scheduled then). */
    public void start() {
        clock.start();
    }

    /** The deflaters' slots: how many compressed streams hold native memory, which tests read after undeploy. */
    public CompressionSlots compression() {
        return compression;
    }

    /** Refuses new streams (503) from now on. */
    public void stopAccepting() {
        registry.stopAccepting();
    }

    /**
     * Ends every stream after its queued frames, each with a {@code retry:} jittered between one and three
     * times the usual, so browsers do not all come back in one wave; after 3 s, closes what is left.
     */
    public void endStreams() {
        int base = retryMillis;
        registry.endAll(() -> SseFrame.retry(base + ThreadLocalRandom.current().nextInt(Math.max(1, base) * 2 + 1)));
        try {
            if (!registry.awaitEmpty(Duration.ofSeconds(3))) {
                registry.closeAll("server stopping");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            registry.closeAll("server stopping");
        }
    }

    /** Stops the clock, then the writers (each waits for its threads). */
    @Override
    public void close() throws InterruptedException {
        try {
            clock.close();
        } finally {
            writers.close();
        }
    }
}
