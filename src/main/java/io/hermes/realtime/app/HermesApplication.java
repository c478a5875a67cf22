package io.hermes.realtime.app;

import io.hermes.realtime.accounts.AccountsModule;
import io.hermes.realtime.analytics.AnalyticsModule;
import io.hermes.realtime.auth.AnonymousReaders;
import io.hermes.realtime.auth.AuthModule;
import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.bus.BusModule;
import io.hermes.realtime.bus.RevocationSink;
import io.hermes.realtime.downloads.DownloadOwners;
import io.hermes.realtime.downloads.DownloadsModule;
import io.hermes.realtime.egress.AddressPolicy;
import io.hermes.realtime.egress.EgressModule;
import io.hermes.realtime.egress.EgressProxy;
import io.hermes.realtime.files.FilesModule;
import io.hermes.realtime.health.HealthModule;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.HttpModule;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.AddressAllowList;
import io.hermes.realtime.media.MediaModule;
import io.hermes.realtime.media.ProxyLease;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.metrics.MetricsModule;
import io.hermes.realtime.notifications.NotificationsModule;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import io.hermes.realtime.polling.ViewVersions;
import io.hermes.realtime.redis.EvictionPolicyCheck;
import io.hermes.realtime.redis.RedisConnections;
import io.hermes.realtime.redis.ReplicaWait;
import io.hermes.realtime.sessions.SessionsModule;
import io.hermes.realtime.storage.StorageModule;
import io.hermes.realtime.storage.StorageUsage;
import io.hermes.realtime.stream.StreamsModule;
import io.hermes.realtime.worker.WorkerModule;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import redis.clients.jedis.UnifiedJedis;

/**
 * The composition root: the only place objects are built, wired to each other and to the servlet
 * context, and closed again in reverse order. It builds what every feature shares, then each feature's
 * module, which builds its parts and registers its servlets; nothing is static or global.
 */
public final class HermesApplication implements ServletContextListener {
    /** A context attribute holding {@link Settings} overrides the environment (tests, embedding). */
    public static final String SETTINGS_ATTRIBUTE = "io.hermes.realtime.settings";
    /** A context attribute holding a {@link Clock} replaces the system's (tests that move time by hand). */
    public static final String CLOCK_ATTRIBUTE = "io.hermes.realtime.clock";
    /**
     * The context attribute holding the stream compression slots ({@code stream.CompressionSlots}), whose count of live deflaters tells whether
     * every compressed stream freed its native memory, even after the WAR was undeployed.
     */
    public static final String COMPRESSION_ATTRIBUTE = "io.hermes.realtime.compression";
    /** The API prefix of contract section 1, relative to the context path. */
    public static final String API = "/api/v1";

    private static final System.Logger LOG = System.getLogger(HermesApplication.class.getName());
    /** Connections a child process (yt-dlp) may hold through the egress proxy at once, all jobs together. */
    private static final int EGRESS_MAX_CONNECTIONS = 64;
    /** As the worker's own transfers wait for a connection. */
    private static final Duration EGRESS_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** What stopping closes, last built first. */
    private final Deque<AutoCloseable> closeOnStop = new ArrayDeque<>();
    /** Every thread factory handed out, so that stopping can wait for their threads to end. */
    private final List<NamedThreads> threadFactories = new ArrayList<>();
    private BusModule bus;
    private volatile StreamsModule streams;
    /** Ends the streams when the JVM stops before the container undeploys us (see {@code start}). */
    private Thread shutdownHook;
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
        // What every module shares.
        Settings settings = context.getAttribute(SETTINGS_ATTRIBUTE) instanceof Settings given
                ? given : Settings.fromEnvironment();
        Clock clock = context.getAttribute(CLOCK_ATTRIBUTE) instanceof Clock fixed ? fixed : Clock.systemUTC();
        Json json = new Json();
        Metrics metrics = new Metrics();
        RedisConnections redisAt = new RedisConnections(redisUrl(settings), settings.redisTimeoutMillis(),
                sentinel(settings));
        UnifiedJedis redis = redisAt.pool();
        closeOnStop.push(redis);
        EvictionPolicyCheck.warnIfEvicting(redis);
        // A stream's longest silence: the comment ping comes at least every 15 s, heartbeats may come sooner.
        IdleTimeoutCheck.warnIfShorterThan(Duration.ofSeconds(Math.min(15, settings.heartbeatIntervalSeconds())));
        ServletRegistrar servlets = new ContextRegistrar(context);
        HttpModule.register(context, servlets, json, API, settings.allowedOrigins());
        BodyReader bodies = new BodyReader(settings.maxBodyBytes(),
                Duration.ofSeconds(settings.bodyReadTimeoutSeconds()), settings.bodyMaxInFlight());
        PolledResponses polled = new PolledResponses(new ViewVersions(redis), json, settings.pollCacheBytes(),
                version() + "/" + buildProperty("build"));
        StorageUsage storage = StorageModule.usage(settings.downloadDir(), settings.tempDir(), clock);
        DownloadOwners owners = DownloadsModule.owners(redis);
        // Submissions refuse literal private addresses at once; the worker checks every URL again when it fetches,
        // and children it starts fetch through the egress proxy, which checks every connection. Closed after the
        // worker, which is built (and so closed) later.
        EgressModule egress = EgressModule.start(egressConfig(settings), this::threads);
        closeOnStop.push(egress);
        AddressPolicy addresses = egress.policy();

        // The modules, each after those it needs.
        // Events and downloads' final statuses wait for this many replicas (off by default).
        ReplicaWait replicas = new ReplicaWait(settings.redisWaitReplicas(), settings.redisWaitTimeoutMillis());
        bus = new BusModule(redisAt, redis, json, clock, settings.replaySize(),
                Duration.ofSeconds(settings.canaryIntervalSeconds()),
                replicas, metrics);
        bus.sampleRedisMemory(Duration.ofSeconds(settings.redisMemoryIntervalSeconds()),
                threads("hermes-redis-memory"));
        AccountsModule accounts = AccountsModule.build(redis, json, clock, accountsConfig(settings),
                RevocationSink.CHANNEL);
        // Built before authentication and streams, which ask it about sessions; registered once its stream exists.
        SessionsModule sessions = SessionsModule.build(redis, json, clock, bus.publisher(), settings.sessionTtlSeconds());
        AuthModule auth = AuthModule.register(servlets, redis, json, clock, bodies, settings.adminApiKeys(),
                RevocationSink.CHANNEL, owners::ownerOf, sessions::ownerOf,
                new AuthModule.Sessions(accounts::callerOf, accounts::endedSessionsAmong));
        Authenticator authenticator = auth.authenticator();
        accounts.register(servlets, authenticator, bodies, auth::revokeKeysOwnedBy);
        accounts.ensureFirstAdmin(settings.adminUsername(), settings.adminPassword());
        // NotifyHub's page sends no key: an operator may open reading its feed to all.
        Authenticator feedReaders = settings.publicNotifications() ? AnonymousReaders.around(authenticator)
                : authenticator;
        NotificationsModule notifications = NotificationsModule.register(servlets, redis, json, clock,
                bus.publisher(), authenticator, feedReaders, polled, bodies);
        DownloadsModule downloads = DownloadsModule.register(servlets, redis, json, clock, bus.publisher(),
                authenticator, owners, storage, polled, bodies, addresses::refusalAtSubmit, settings.downloadDir(),
                settings.maxMetadataBytes(), replicas);
        FilesModule.register(servlets, json, authenticator, bodies, downloads.store(), settings.downloadDir(),
                settings.filesScanLimit(), () -> filesDeleted(storage, downloads), downloads.events()::removed);
        // The polling endpoints' answers, which a stream's opening snapshot (?snapshot=) repeats by these names.
        Map<String, PolledView> views = new LinkedHashMap<>();
        views.put("queue", downloads.queueView());
        views.putAll(AnalyticsModule.register(servlets, json, authenticator, redis, clock, storage, polled));
        views.put("storage", StorageModule.register(servlets, json, authenticator, storage));
        views.put("notifications", notifications.view());
        streams = StreamsModule.register(servlets, streamsConfig(settings), json, clock, metrics, bus,
                new StreamsModule.Sources(authenticator, owners, auth::revokedAmong, downloads::currentState,
                        notifications::systemInit, views, sessions::currentState,
                        new StreamsModule.Feed(feedReaders, notifications::feedInit), downloads::firstEndShown),
                this::threads);
        sessions.register(servlets, authenticator, bodies, streams.sessionStream(), settings.maxMetadataBytes());
        context.setAttribute(COMPRESSION_ATTRIBUTE, streams.compression());
        closeOnStop.push(streams);
        closeOnStop.push(bus); // closed before the streams' clock and writers, as the subscriber feeds them
        MediaModule media = MediaModule.start(settings.ytdlp(), threads("hermes-media-io"));
        closeOnStop.push(media);
        HealthModule.register(servlets, json, redis, clock, version(),
                settings.redisUrlConfigured() || devRedisStarted == null ? "production" : "development",
                media.health(), () -> bus.canary().problem());
        MetricsModule.register(servlets, json, metrics, request -> authenticator.authenticate(request, "read"),
                settings.metricsAllow(), new MetricsModule.Reports(bodies, request -> reporter(authenticator, request),
                        settings.fallbackReportsPerMinute()));
        // Everything yt-dlp fetches, for /info as for downloads, goes through the egress proxy.
        java.util.function.Supplier<ProxyLease> leases = () -> lease(egress.proxy());
        media.register(servlets, json, authenticator, metrics, clock, leases, addresses::refusalAtSubmit,
                infoLimits(settings));
        if (settings.workerEnabled()) {
            closeOnStop.push(WorkerModule.start(workerConfig(settings), downloads, addresses, media.ytdlp(), leases,
                    storage, json, clock, metrics, this::threads));
        }

        bus.start(Duration.ofSeconds(5));
        streams.start();
        // A JVM told to stop (SIGTERM) runs this at once, while the container may still be closing its
        // connectors: streams end with their jittered retry: before their connections go, so browsers come back
        // spread out instead of all at the usual retry. Removed on undeploy, so the WAR leaves nothing behind.
        shutdownHook = new Thread(this::endStreamsAsTheJvmStops, "hermes-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.log(Level.INFO, "Hermes Realtime started: Redis {0}, SSE {1}, up to {2} streams",
                redisAt.describe(), settings.sseEnabled() ? "enabled" : "disabled",
                settings.maxConnections());
    }

    /**
     * Files were deleted through {@code /files}: the storage usage is recomputed and a {@code storage_update}
     * published, as when the worker adds a file. The deletion already happened, so a failure here is logged,
     * not answered; the next change or the usage cache's expiry sets the numbers right.
     */
    private static void filesDeleted(StorageUsage storage, DownloadsModule downloads) {
        storage.invalidate();
        try {
            downloads.events().storageChanged(storage.current());
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, "Files were deleted, but the storage update could not be published: " + failed);
        }
    }

    /** Who sends a polling-fallback report, for its limit: the credential, or the owner of an admin key. */
    private static String reporter(Authenticator authenticator, jakarta.servlet.http.HttpServletRequest request) {
        io.hermes.realtime.auth.Caller caller = authenticator.authenticate(request, "read");
        return caller.credential() != null ? caller.credential() : "owner:" + caller.owner();
    }

    private static AccountsModule.Config accountsConfig(Settings settings) {
        return new AccountsModule.Config(settings.allowPublicSignup(), settings.accessTokenTtlSeconds(),
                settings.refreshTokenTtlSeconds(), settings.refreshReuseGraceSeconds(), settings.loginMaxFailures(),
                settings.loginWindowSeconds());
    }

    private static StreamsModule.Config streamsConfig(Settings settings) {
        return new StreamsModule.Config(settings.sseEnabled(), settings.maxConnections(),
                Duration.ofSeconds(settings.heartbeatIntervalSeconds()),
                Duration.ofSeconds(settings.connectionTimeoutSeconds()), settings.clientBuffer(),
                settings.retryMillis(), settings.compressionMaxStreams(), settings.progressIntervalMillis());
    }

    /** One pass of the egress proxy, as media and the worker see it: what yt-dlp fetches goes through it. */
    private static ProxyLease lease(EgressProxy proxy) {
        EgressProxy.Pass pass = proxy.open();
        return new ProxyLease() {
            @Override
            public String proxyUrl() {
                return pass.proxyUrl();
            }

            @Override
            public java.util.Optional<String> refusal() {
                return pass.refusal();
            }

            @Override
            public void close() {
                pass.close();
            }
        };
    }

    private static EgressModule.Config egressConfig(Settings settings) {
        AddressAllowList allowed = settings.privateUrlAllow();
        return new EgressModule.Config(settings.allowPrivateUrls(), address -> allowed.permits(address.getHostAddress()),
                new EgressProxy.Limits(EGRESS_MAX_CONNECTIONS, EGRESS_CONNECT_TIMEOUT,
                        Duration.ofSeconds(settings.downloadIdleTimeoutSeconds())));
    }

    private static MediaModule.InfoLimits infoLimits(Settings settings) {
        return new MediaModule.InfoLimits(Duration.ofSeconds(settings.infoTimeoutSeconds()), settings.infoMaxInFlight(),
                Duration.ofSeconds(settings.infoCacheSeconds()));
    }

    private static WorkerModule.Config workerConfig(Settings settings) {
        return new WorkerModule.Config(settings.downloadDir(), settings.tempDir(), settings.maxDownloadBytes(),
                Duration.ofSeconds(settings.downloadIdleTimeoutSeconds()),
                Duration.ofSeconds(settings.downloadTimeoutSeconds()), settings.maxRedirects(),
                Duration.ofSeconds(settings.workerLeaseSeconds()), settings.workerConcurrency());
    }

    /** Sentinel's part of the settings, or {@code null} when Redis is the URL's server. */
    private static RedisConnections.Sentinel sentinel(Settings settings) {
        if (settings.redisSentinels().isEmpty()) {
            return null;
        }
        return new RedisConnections.Sentinel(settings.redisSentinels(), settings.redisMaster(),
                settings.redisSentinelUser(), settings.redisSentinelPassword(), settings.redisSentinelTls());
    }

    private URI redisUrl(Settings settings) {
        if (settings.redisUrlConfigured() || !settings.redisSentinels().isEmpty()) {
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
        Properties properties = new Properties();
        try (InputStream in = HermesApplication.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException unreadable) {
            // reported as unknown
        }
        return properties.getProperty(name, "unknown");
    }

    /**
     * Stops in reverse order of start: refuse new streams, stop the subscriber (breaking its blocking
     * read), end every stream with a jittered {@code retry:} so browsers do not reconnect in one wave,
     * then stop the worker, the timers and writers and close Redis. No thread of ours survives this method.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        stop();
    }

    /** The JVM is stopping: refuse new streams and end the open ones, as undeploying does first. */
    private void endStreamsAsTheJvmStops() {
        StreamsModule open = streams;
        if (open != null) {
            open.stopAccepting();
            open.endStreams();
        }
    }

    private void stop() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException jvmStopping) {
                // the hook runs, or ran: what follows ends the same streams again, harmlessly
            }
        }
        if (streams != null) {
            streams.stopAccepting();
        }
        if (bus != null) {
            bus.stopSubscriber();
        }
        if (streams != null) {
            streams.endStreams();
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
