package io.hermes.realtime.app;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.AdminKeyBootstrap;
import io.hermes.realtime.auth.ApiKeyStore;
import io.hermes.realtime.auth.ApiKeysServlet;
import io.hermes.realtime.auth.Credentials;
import io.hermes.realtime.auth.KeyAuthenticator;
import io.hermes.realtime.auth.Secrets;
import io.hermes.realtime.auth.TokenServlet;
import io.hermes.realtime.auth.TokenStore;
import io.hermes.realtime.downloads.DownloadOwners;
import io.hermes.realtime.analytics.AnalyticsModule;
import io.hermes.realtime.downloads.BatchServlet;
import io.hermes.realtime.downloads.Download;
import io.hermes.realtime.downloads.DownloadEvents;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.downloads.DownloadsServlet;
import io.hermes.realtime.downloads.QueueServlet;
import io.hermes.realtime.health.HealthServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.CorsFilter;
import io.hermes.realtime.http.ErrorPageServlet;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.storage.StorageModule;
import io.hermes.realtime.storage.StorageUsage;
import io.hermes.realtime.worker.AddressPolicy;
import io.hermes.realtime.worker.DownloadWorker;
import io.hermes.realtime.worker.HttpTransfer;
import io.hermes.realtime.worker.HttpTransferClient;
import io.hermes.realtime.worker.TransferLimits;
import io.hermes.realtime.worker.WorkerMetrics;
import jakarta.servlet.FilterRegistration;
import java.security.SecureRandom;
import io.hermes.realtime.bus.BusMetrics;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.bus.RedisProbe;
import io.hermes.realtime.bus.RedisSubscriber;
import io.hermes.realtime.bus.ReplayLog;
import io.hermes.realtime.bus.RevocationSink;
import io.hermes.realtime.downloads.DownloadIds;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.PolledView;
import io.hermes.realtime.http.NotFoundServlet;
import io.hermes.realtime.http.SecurityHeadersFilter;
import io.hermes.realtime.http.StaticFilesFilter;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.metrics.MetricsServlet;
import io.hermes.realtime.notifications.NotificationStore;
import io.hermes.realtime.notifications.NotificationsServlet;
import io.hermes.realtime.polling.PolledViews;
import io.hermes.realtime.polling.ViewVersions;
import io.hermes.realtime.stream.Broadcaster;
import io.hermes.realtime.stream.CompressionSlots;
import io.hermes.realtime.stream.ConnectionRegistry;
import io.hermes.realtime.stream.ControlFrames;
import io.hermes.realtime.stream.EventsHealthServlet;
import io.hermes.realtime.stream.RevokedStreams;
import io.hermes.realtime.stream.SseFrame;
import io.hermes.realtime.stream.StreamClock;
import io.hermes.realtime.stream.StreamHandshake;
import io.hermes.realtime.stream.StreamMetrics;
import io.hermes.realtime.stream.StreamRoutes;
import io.hermes.realtime.stream.StreamServlet;
import io.hermes.realtime.stream.ViewSnapshots;
import io.hermes.realtime.stream.WriterPool;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * The composition root: the only place objects are built, wired to each other and to the servlet
 * context, and closed again in reverse order. Servlets are registered as instances with their
 * collaborators passed in; nothing is static or global.
 */
public final class HermesApplication implements ServletContextListener {
    /** A context attribute holding {@link Settings} overrides the environment (tests, embedding). */
    public static final String SETTINGS_ATTRIBUTE = "io.hermes.realtime.settings";
    /** A context attribute holding a {@link Clock} replaces the system's (tests that move time by hand). */
    public static final String CLOCK_ATTRIBUTE = "io.hermes.realtime.clock";
    /**
     * The context attribute holding the {@link CompressionSlots}, whose count of live deflaters tells whether
     * every compressed stream freed its native memory, even after the WAR was undeployed.
     */
    public static final String COMPRESSION_ATTRIBUTE = "io.hermes.realtime.compression";
    /** The API prefix of contract section 1, relative to the context path. */
    public static final String API = "/api/v1";

    private static final System.Logger LOG = System.getLogger(HermesApplication.class.getName());
    /** How long a metrics scrape waits for Redis to answer its PING (connect, then reply). */
    private static final int REDIS_PROBE_TIMEOUT_MILLIS = 500;

    private final Deque<AutoCloseable> closeOnStop = new ArrayDeque<>();
    /** Every thread factory handed out, so that stopping can wait for their threads to end. */
    private final List<NamedThreads> threadFactories = new ArrayList<>();
    private ConnectionRegistry registry;
    private RedisSubscriber subscriber;
    private int retryMillis;
    private DevRedis devRedisStarted;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            start(context);
        } catch (RuntimeException failed) {
            LOG.log(Level.ERROR, "Hermes Realtime failed to start: " + failed.getMessage());
            stop();
            throw failed;
        }
    }

    private void start(ServletContext context) {
        Settings settings = context.getAttribute(SETTINGS_ATTRIBUTE) instanceof Settings given
                ? given : Settings.fromEnvironment();
        retryMillis = settings.retryMillis();
        Clock clock = context.getAttribute(CLOCK_ATTRIBUTE) instanceof Clock fixed ? fixed : Clock.systemUTC();
        Json json = new Json();
        Metrics metrics = new Metrics();

        URI redisUrl = redisUrl(settings);
        int redisTimeout = settings.redisTimeoutMillis();
        JedisPooled redis = new JedisPooled(poolConfig(redisTimeout), redisUrl, redisTimeout, redisTimeout);
        closeOnStop.push(redis);

        EnvelopeCodec codec = new EnvelopeCodec();
        BusMetrics busMetrics = new BusMetrics(metrics);
        EventPublisher publisher = new EventPublisher(redis, json, codec, clock, settings.replaySize(),
                busMetrics.publishFailures());
        ReplayLog replay = new ReplayLog(redis, codec);
        NotificationStore notifications = new NotificationStore(redis, publisher, json, clock);
        PolledViews polledViews = new PolledViews(new ViewVersions(redis), json, settings.pollCacheBytes(),
                version() + "/" + buildProperty("build"));
        Secrets secrets = new Secrets(new SecureRandom());
        ApiKeyStore apiKeys = new ApiKeyStore(redis, secrets, json, clock, RevocationSink.CHANNEL);
        Credentials credentials = new Credentials(apiKeys);
        TokenStore tokens = new TokenStore(redis, secrets, json, clock, credentials);
        Authenticator authenticator = new KeyAuthenticator(apiKeys, tokens, settings.adminApiKeys());
        DownloadOwners downloadOwners = new DownloadOwners(redis);
        EvictionPolicyCheck.warnIfEvicting(redis);
        // A stream's longest silence: the comment ping comes at least every 15 s, heartbeats may come sooner.
        IdleTimeoutCheck.warnIfShorterThan(Duration.ofSeconds(Math.min(15, settings.heartbeatIntervalSeconds())));
        AdminKeyBootstrap.ensureAdminKey(redis, apiKeys, settings.adminApiKeys());

        ControlFrames frames = new ControlFrames(json, clock);
        registry = new ConnectionRegistry(settings.maxConnections());
        // Revoking a credential on any instance ends the streams opened with it on every instance.
        RevokedStreams revokedStreams = new RevokedStreams(registry, credentials::revokedAmong);
        WriterPool writers = new WriterPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                threads("hermes-sse-writer"));
        closeOnStop.push(writers);
        StreamClock streamClock = new StreamClock(registry, frames,
                Duration.ofSeconds(settings.heartbeatIntervalSeconds()),
                Duration.ofSeconds(settings.connectionTimeoutSeconds()),
                threads("hermes-sse-clock"), ThreadLocalRandom.current()::nextDouble, clock);
        closeOnStop.push(streamClock);
        CompressionSlots compression = new CompressionSlots(settings.compressionMaxStreams());
        context.setAttribute(COMPRESSION_ATTRIBUTE, compression);
        StreamHandshake handshake = new StreamHandshake(registry, replay, frames, streamClock, writers,
                settings.clientBuffer(), settings.retryMillis(), new StreamMetrics(metrics, registry, compression, clock),
                compression, settings.progressIntervalMillis(), revokedStreams);

        // The subscription's own reads never time out (Jedis sets them infinite while subscribed); the
        // timeout bounds connecting and the catch-up reads.
        subscriber = new RedisSubscriber(() -> new Jedis(redisUrl, redisTimeout, redisTimeout),
                replay, codec, busMetrics.counting(new Broadcaster(registry, frames)), revokedStreams, clock,
                threads("hermes-redis-watchdog"));
        busMetrics.watch(subscriber, clock);
        RedisProbe probe = new RedisProbe(
                () -> new Jedis(redisUrl, REDIS_PROBE_TIMEOUT_MILLIS, REDIS_PROBE_TIMEOUT_MILLIS));
        closeOnStop.push(probe);
        busMetrics.watch(probe);

        addFilter(context, "security-headers", new SecurityHeadersFilter(), "/*");
        addFilter(context, "cors", new CorsFilter(settings.allowedOrigins()), API + "/*");
        // Requests only: an error dispatch is the error page's, whatever method the failed request had.
        FilterRegistration.Dynamic staticFiles = context.addFilter("static-files", new StaticFilesFilter(json));
        staticFiles.setAsyncSupported(true);
        staticFiles.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        // The target of web.xml's <error-page>: every error the container raises becomes the contract's JSON.
        ServletRegistration.Dynamic errorPage = context.addServlet("error-page", new ErrorPageServlet(json));
        errorPage.setAsyncSupported(true);
        errorPage.addMapping(ErrorPageServlet.PATH);

        boolean sse = settings.sseEnabled();
        BodyReader bodies = new BodyReader(settings.maxBodyBytes(),
                Duration.ofSeconds(settings.bodyReadTimeoutSeconds()), settings.bodyMaxInFlight());
        addServlet(context, "events-token", new TokenServlet(json, tokens, authenticator, downloadOwners, bodies),
                "/events/token");
        addServlet(context, "api-keys", new ApiKeysServlet(json, apiKeys, authenticator, clock, bodies),
                "/auth/api-keys/*");
        addServlet(context, "events-health", new EventsHealthServlet(json, registry, subscriber, clock, sse,
                settings.heartbeatIntervalSeconds()), "/events/health");
        addServlet(context, "notifications", new NotificationsServlet(json, notifications, authenticator,
                polledViews, bodies), "/notifications");
        ServletRegistrar servlets = (name, servlet, path) -> addServlet(context, name, servlet, path);
        StorageUsage storage = StorageModule.usage(settings.downloadDir(), settings.tempDir(), clock);
        DownloadStore downloads = new DownloadStore(redis, clock);
        DownloadEvents downloadEvents = new DownloadEvents(publisher, json, clock);
        // Submissions refuse literal private addresses at once; the worker checks every URL again when it fetches.
        AddressPolicy addresses = new AddressPolicy(settings.allowPrivateUrls());
        servlets.add("downloads", new DownloadsServlet(json, downloads, downloadEvents, authenticator, storage, clock,
                addresses::refusalAtSubmit, settings.downloadDir(), bodies, settings.maxMetadataBytes()), "/download/*");
        servlets.add("downloads-batch", new BatchServlet(json, downloads, downloadEvents, authenticator,
                addresses::refusalAtSubmit, bodies), "/download/batch");
        // The polling endpoints' answers, which a stream's opening snapshot (?snapshot=) repeats by these names.
        Map<String, PolledView> views = new LinkedHashMap<>();
        views.put("queue", QueueServlet.view(json, downloads));
        QueueServlet queue = new QueueServlet(json, views.get("queue"), authenticator, polledViews);
        servlets.add("queue", queue, "/queue");
        servlets.add("queue-alias", queue, "/download/queue");
        views.putAll(AnalyticsModule.register(servlets, json, authenticator, redis, clock, storage, polledViews));
        views.put("storage", StorageModule.register(servlets, json, authenticator, storage));
        views.put("notifications", NotificationsServlet.view(notifications));
        ViewSnapshots snapshots = new ViewSnapshots(views, json);

        StreamRoutes routes = new StreamRoutes(downloadOwners);
        addServlet(context, "events-stream", new StreamServlet(json, sse, handshake, authenticator,
                routes.multiplexed(), snapshots), "/events/stream");
        addServlet(context, "events-downloads", new StreamServlet(json, sse, handshake, authenticator,
                routes.download(id -> currentState(redis, downloadOwners, downloads, downloadEvents, json, id)), snapshots),
                "/events/downloads/*");
        for (Channel channel : List.of(Channel.QUEUE, Channel.STATS, Channel.STORAGE)) {
            addServlet(context, "events-" + channel.shortName(), new StreamServlet(json, sse, handshake, authenticator,
                    routes.channel(channel, List::of), snapshots), "/events/" + channel.shortName());
        }
        addServlet(context, "events-system", new StreamServlet(json, sse, handshake, authenticator,
                routes.channel(Channel.SYSTEM, () -> List.of(frames.snapshot("init",
                        Map.of("notifications", notifications.recentWireForm(50))))), snapshots), "/events/system");
        String environment = settings.redisUrlConfigured() || devRedisStarted == null ? "production" : "development";
        servlets.add("health", new HealthServlet(json, redis, clock, version(), environment, false), "/health");
        servlets.add("health-detailed", new HealthServlet(json, redis, clock, version(), environment, true),
                "/health/detailed");
        // At the root, where Prometheus looks by default, and under the API prefix for proxies that pass only that.
        ServletRegistration.Dynamic metricsServlet = context.addServlet("metrics",
                new MetricsServlet(json, metrics, authenticator, settings.metricsAllow()));
        // Async like every API servlet, so that a body sent to it can be refused without reading it (BodyReader).
        metricsServlet.setAsyncSupported(true);
        metricsServlet.addMapping("/metrics", API + "/metrics", API + "/metrics/");
        addServlet(context, "not-found", new NotFoundServlet(json), "/*");
        if (settings.workerEnabled()) {
            startWorker(settings, addresses, downloads, downloadEvents, storage, json, clock, new WorkerMetrics(metrics));
        }

        try {
            if (!subscriber.start(Duration.ofSeconds(5))) {
                LOG.log(Level.WARNING, "Redis pub/sub is not subscribed yet; live events start once it is");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        streamClock.start();
        LOG.log(Level.INFO, "Hermes Realtime started: Redis {0}, SSE {1}, up to {2} streams",
                redisUrl.getHost() + ":" + redisUrl.getPort(), sse ? "enabled" : "disabled", settings.maxConnections());
    }

    private void startWorker(Settings settings, AddressPolicy addresses, DownloadStore downloads, DownloadEvents events,
            StorageUsage storage, Json json, Clock clock, WorkerMetrics metrics) {
        HttpTransferClient client = new HttpTransferClient(Duration.ofSeconds(10), threads("hermes-http"));
        closeOnStop.push(client);
        HttpTransfer transfer = new HttpTransfer(client.client(), addresses,
                new TransferLimits(settings.maxDownloadBytes(), Duration.ofSeconds(10),
                        Duration.ofSeconds(settings.downloadIdleTimeoutSeconds()),
                        Duration.ofSeconds(settings.downloadTimeoutSeconds()), settings.maxRedirects()),
                clock);
        DownloadWorker worker = new DownloadWorker(downloads, events, transfer, storage, json,
                settings.downloadDir(), settings.tempDir(), Duration.ofSeconds(settings.workerLeaseSeconds()),
                settings.workerConcurrency(), threads("hermes-worker-lease"), metrics);
        closeOnStop.push(worker);
        worker.start();
    }

    private static void addFilter(ServletContext context, String name, jakarta.servlet.Filter filter, String path) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), true, path);
    }

    /** Maps a servlet under the API prefix; an exact path also answers with a trailing slash. */
    private static void addServlet(ServletContext context, String name, Servlet servlet, String path) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        registration.setAsyncSupported(true);
        if (path.endsWith("/*")) {
            registration.addMapping(API + path);
        } else {
            registration.addMapping(API + path, API + path + "/");
        }
    }

    /**
     * What {@code /events/downloads/{id}} sends first: the running step from the progress key while there is
     * one (the worker refreshes it on every step), else the state in the download's record, so a queued or
     * finished download is shown at once too.
     */
    private static List<SseFrame> currentState(JedisPooled redis, DownloadOwners owners, DownloadStore downloads,
            DownloadEvents events, Json json, String downloadId) {
        String running = redis.get(DownloadIds.progressKey(downloadId));
        if (running != null) {
            return List.of(SseFrame.event(null, Channel.DOWNLOAD.eventType(), running, Channel.DOWNLOAD, downloadId,
                    owners.ownerOf(downloadId).orElse(null)));
        }
        Optional<Download> record = downloads.find(downloadId);
        try {
            return record.map(download -> SseFrame.event(null, Channel.DOWNLOAD.eventType(),
                    json.write(events.stateOf(download)), Channel.DOWNLOAD, downloadId, download.owner()))
                    .map(List::of).orElse(List.of());
        } catch (IllegalArgumentException unreadable) {
            // A record another worker wrote with a status or size we cannot read: the stream opens without it.
            return List.of();
        }
    }

    private URI redisUrl(Settings settings) {
        if (settings.redisUrlConfigured()) {
            return settings.redisUrl();
        }
        for (DevRedis dev : ServiceLoader.load(DevRedis.class, HermesApplication.class.getClassLoader())) {
            try {
                URI url = dev.start();
                closeOnStop.push(dev);
                devRedisStarted = dev;
                LOG.log(Level.WARNING, "HERMES_REDIS_URL is not set: started an embedded Redis for development at {0}"
                        + " (its data is lost on stop; never use this in production)", url);
                return url;
            } catch (Exception failed) {
                throw new IllegalStateException("Could not start the embedded development Redis: " + failed, failed);
            }
        }
        return settings.redisUrl();
    }

    /** The Maven project version, filtered into {@code version.properties} at build time. */
    private static String version() {
        return buildProperty("version");
    }

    /** {@code version.properties}' {@code name}: {@code version}, or {@code build} (when the build was made). */
    private static String buildProperty(String name) {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.InputStream in = HermesApplication.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (java.io.IOException unreadable) {
            // reported as unknown
        }
        return properties.getProperty(name, "unknown");
    }

    private static GenericObjectPoolConfig<Connection> poolConfig(int timeoutMillis) {
        GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(64);
        config.setMaxIdle(16);
        // Borrowing waits a quarter of a call's timeout. A healthy Redis frees a connection within about a
        // millisecond; when Redis hangs, all 64 are busy timing out, and a request should give up (503) after
        // about one timeout in all, not wait a whole one for a connection and then another one on it.
        config.setMaxWait(Duration.ofMillis(Math.max(10, timeoutMillis / 4)));
        // No idle evictor: it would start a pool2 timer thread that outlives an undeployed WAR.
        config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        config.setJmxEnabled(false);
        return config;
    }

    /**
     * Stops in reverse order of start: refuse new streams, stop the subscriber (breaking its blocking
     * read), end every stream with a jittered {@code retry:} so browsers do not reconnect in one wave,
     * then stop the timers and writers and close Redis. No thread of ours survives this method.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        stop();
    }

    private void stop() {
        if (registry != null) {
            registry.stopAccepting();
        }
        if (subscriber != null) {
            subscriber.shutdown();
        }
        if (registry != null) {
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
        while (!closeOnStop.isEmpty()) {
            closeQuietly(closeOnStop.pop());
        }
        awaitOurThreadsEnded();
        LOG.log(Level.INFO, "Hermes Realtime stopped");
    }

    private NamedThreads threads(String prefix) {
        NamedThreads factory = new NamedThreads(prefix);
        threadFactories.add(factory);
        return factory;
    }

    /** Every executor was shut down above; this waits out the moment between termination and thread exit. */
    private void awaitOurThreadsEnded() {
        try {
            for (NamedThreads factory : threadFactories) {
                if (!factory.awaitEnded(Duration.ofSeconds(5))) {
                    LOG.log(Level.WARNING, "A thread of Hermes Realtime was still running 5 s after stopping");
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
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
