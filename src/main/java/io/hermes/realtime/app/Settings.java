package io.hermes.realtime.app;

import static io.hermes.realtime.app.SettingType.addresses;
import static io.hermes.realtime.app.SettingType.bool;
import static io.hermes.realtime.app.SettingType.hostPorts;
import static io.hermes.realtime.app.SettingType.integer;
import static io.hermes.realtime.app.SettingType.list;
import static io.hermes.realtime.app.SettingType.longInteger;
import static io.hermes.realtime.app.SettingType.path;
import static io.hermes.realtime.app.SettingType.redisUri;
import static io.hermes.realtime.app.SettingType.secret;
import static io.hermes.realtime.app.SettingType.secretList;
import static io.hermes.realtime.app.SettingType.text;

import io.hermes.realtime.metrics.AddressAllowList;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting (contract section 6, and this server's own), parsed and validated once at start-up into an
 * immutable value. Each is read from the environment variable of its name, overridden by a JVM system
 * property of the same name.
 *
 * <p>Each setting is declared once below: its variable, default, accepted values and meaning. The parsing,
 * the error for a bad value and the README's table (checked by {@code SettingsTableTest}) come from the
 * declarations. Adding a setting is one declaration and one accessor.
 */
public final class Settings {

    /** The declarations in order, which is the README's; filled by them as the class loads, so it comes first. */
    private static final List<Setting<?>> DECLARED = new ArrayList<>();

    public static final String DEFAULT_REDIS_URL = "redis://localhost:6379";

    // Redis
    public static final String REDIS_URL = declare("HERMES_REDIS_URL", DEFAULT_REDIS_URL, redisUri(),
            "Redis (`rediss://` for TLS)");
    // Bounds every Redis call so that an unanswering Redis costs a request about this long, not a thread.
    public static final String REDIS_TIMEOUT = declare("HERMES_REDIS_TIMEOUT", "500", integer(50, 60_000),
            "milliseconds: connect and read timeout of every Redis call; a request waits at most a quarter of it "
                    + "for a pooled connection. While Redis does not answer, a request fails with 503 after about "
                    + "this long instead of holding a container thread");
    // Through Sentinel every pool and the subscriber find the master anew when it changes.
    public static final String REDIS_SENTINELS = declare("HERMES_REDIS_SENTINELS", "", hostPorts(),
            "Sentinel addresses (`host:port,…`); when set, Redis is the master Sentinel names, and "
                    + "`HERMES_REDIS_URL` gives only its user, password, database and TLS (`rediss://`), not its address");
    public static final String REDIS_MASTER = declare("HERMES_REDIS_MASTER", "mymaster", text(),
            "the master's name in Sentinel");
    public static final String REDIS_SENTINEL_USER = declare("HERMES_REDIS_SENTINEL_USER", "", text(),
            "ACL user for the Sentinels (empty: none, or `default` with a password)");
    public static final String REDIS_SENTINEL_PASSWORD = declare("HERMES_REDIS_SENTINEL_PASSWORD", "", secret(),
            "password for the Sentinels (`requirepass` in sentinel.conf); empty: none");
    public static final String REDIS_SENTINEL_TLS = declare("HERMES_REDIS_SENTINEL_TLS", "false", bool(),
            "talk TLS to the Sentinels");
    // The subscriber's PING watchdog proves the connection answers, not that messages reach it; the canary does.
    public static final String CANARY_INTERVAL = declare("HERMES_CANARY_INTERVAL", "5", integer(1, 3600),
            "seconds between the delivery canaries each instance publishes through Redis pub/sub to itself; when "
                    + "one has not come back within the interval plus 2 s, `/health` answers 503 and the "
                    + "subscriber reconnects (see *What faults look like from outside*)");
    // Read on a thread of its own, so that a scrape never waits on INFO.
    public static final String REDIS_MEMORY_INTERVAL = declare("HERMES_REDIS_MEMORY_INTERVAL", "15",
            integer(1, 3600),
            "seconds between two samples of Redis's `INFO memory` for the metrics (docs/operating.md, *Alerts*)");
    // Asynchronous replication loses what the master acknowledged last when it dies; WAIT narrows that window.
    public static final String REDIS_WAIT_REPLICAS = declare("HERMES_REDIS_WAIT_REPLICAS", "0", integer(0, 16),
            "replicas that must have each published event, and each download's final status, before the write "
                    + "returns (Redis `WAIT`); `0` waits for none. A failover then seldom loses an acknowledged event, "
                    + "or a completion that would make the download run again (docs/deploy.md, *Redis through "
                    + "Sentinel*); the event reaches live streams either way");
    public static final String REDIS_WAIT_TIMEOUT = declare("HERMES_REDIS_WAIT_TIMEOUT", "100", integer(1, 60_000),
            "milliseconds a publication waits for those replicas at most; then it returns anyway, counted in "
                    + "`hermes_bus_publish_unreplicated_total`");

    // Event streams
    public static final String ENABLE_SSE = declare("HERMES_ENABLE_SSE", "true", bool(),
            "SSE endpoints on/off (off: 503)");
    public static final String HEARTBEAT_INTERVAL = declare("HERMES_SSE_HEARTBEAT_INTERVAL", "30", integer(1, 3600),
            "seconds between `heartbeat` events (comment pings at least every 15 s)");
    public static final String MAX_CONNECTIONS = declare("HERMES_SSE_MAX_CONNECTIONS", "1000", integer(1, 1_000_000),
            "open streams per instance (beyond: 503 with `Retry-After`)");
    public static final String CONNECTION_TIMEOUT = declare("HERMES_SSE_CONNECTION_TIMEOUT", "300", integer(5, 86_400),
            "stream lifetime in seconds, ± 20 % jitter, then a clean resumable end");
    public static final String RETRY_MS = declare("HERMES_SSE_RETRY_MS", "3000", integer(0, 600_000),
            "the `retry:` sent to clients");
    public static final String REPLAY_SIZE = declare("HERMES_SSE_REPLAY_SIZE", "10000", integer(1, 10_000_000),
            "events retained for resume (at least this many; Redis trims approximately)");
    public static final String CLIENT_BUFFER = declare("HERMES_SSE_CLIENT_BUFFER", "1000", integer(1, 1_000_000),
            "frames queued per client before it is cut off");
    // A deflater is native memory the heap limit does not see; hence a count, not a switch.
    public static final String COMPRESSION_MAX_STREAMS = declare("HERMES_SSE_COMPRESSION_MAX_STREAMS", "100",
            integer(0, 100_000),
            "streams gzip-compressed at once (each deflater holds about 256 KiB of native memory); beyond it, "
                    + "streams that accept gzip go uncompressed; `0` turns compression off");
    public static final String PROGRESS_INTERVAL_MS = declare("HERMES_SSE_PROGRESS_INTERVAL_MS", "0",
            integer(0, 60_000),
            "default minimum gap between two `download_progress` events of one download on one stream, for "
                    + "streams that do not ask with `?progress_interval_ms=`; `0` sends every step");

    // Requests
    public static final String ALLOWED_ORIGINS = declare("HERMES_ALLOWED_ORIGINS", "", list(),
            "origins allowed by CORS (empty: same origin only)");
    public static final String API_KEYS = declare("HERMES_API_KEYS", "", secretList(),
            "admin keys");
    public static final String MAX_BODY_BYTES = declare("HERMES_MAX_BODY_BYTES", "1048576", integer(1024, 1 << 30),
            "request body limit (413 beyond; before reading a byte when `Content-Length` says so)");
    // Bodies are read without a container thread (http.BodyReader), so the two limits below bound
    // memory and sockets, not threads.
    public static final String BODY_READ_TIMEOUT = declare("HERMES_BODY_READ_TIMEOUT", "10", integer(1, 300),
            "seconds a request body may take to arrive in full, then 408; bodies are read without holding a "
                    + "container thread");
    public static final String BODY_MAX_IN_FLIGHT = declare("HERMES_BODY_MAX_IN_FLIGHT", "8", integer(1, 100_000),
            "bodies still arriving at once per credential (per address for requests without one), and 4 × as "
                    + "many per address whatever credentials it presents; beyond, 429 with `Retry-After: 1`. A body "
                    + "that comes whole with its request never counts. Behind a proxy all clients share its address "
                    + "(docs/architecture.md, *Slow, gone and malicious clients*)");
    // Kept in the download's Redis hash for as long as the download is.
    public static final String MAX_METADATA_BYTES = declare("HERMES_MAX_METADATA_BYTES", "16384",
            integer(2, 1 << 30),
            "largest `metadata` of a download, as compact JSON (422 beyond)");
    public static final String POLL_CACHE_BYTES = declare("HERMES_POLL_CACHE_BYTES", "8388608",
            longInteger(0, 1L << 30),
            "bytes of rendered bodies of polled views (`/queue`, `/stats`, `/timeline`, `/history`, "
                    + "`/notifications`) each instance keeps, so a 200 for unchanged data costs one Redis read; "
                    + "`0` keeps none (docs/architecture.md, *Polled views*)");
    public static final String METRICS_ALLOW = declare("HERMES_METRICS_ALLOW", "", addresses(),
            "addresses that may scrape `/metrics` without a key; empty: a key with `read` is needed "
                    + "(docs/operating.md, *Metrics*)");
    // The page reports only when it switches; this bounds what a misbehaving client can add to the counter.
    public static final String FALLBACK_REPORTS_PER_MINUTE = declare("HERMES_FALLBACK_REPORTS_PER_MINUTE", "6",
            integer(1, 600),
            "polling-fallback reports (`POST /api/v1/events/fallback`) counted per credential per minute on each "
                    + "instance; beyond, 429 with `Retry-After`");

    // Files and the built-in worker
    public static final String DOWNLOAD_DIR = declare("HERMES_DOWNLOAD_DIR", "./downloads", path(),
            "where files land; keep it on one file system with `HERMES_TEMP_DIR`: the final move is atomic");
    public static final String TEMP_DIR = declare("HERMES_TEMP_DIR", "./temp", path(),
            "where partial files grow");
    public static final String WORKER_ENABLED = declare("HERMES_WORKER_ENABLED", "true", bool(),
            "the built-in worker; `false` makes an instance web-only");
    public static final String WORKER_CONCURRENCY = declare("HERMES_WORKER_CONCURRENCY", "2", integer(1, 64),
            "downloads the built-in worker transfers at once (its `hermes-worker-N` threads)");
    public static final String ALLOW_PRIVATE_URLS = declare("HERMES_ALLOW_PRIVATE_URLS", "false", bool(),
            "allow downloads from loopback, link-local and private addresses");
    // Narrower than the switch above: a NAS on the home network, and nothing else of it.
    public static final String PRIVATE_URL_ALLOW = declare("HERMES_PRIVATE_URL_ALLOW", "", addresses(),
            "private addresses or ranges the worker may fetch although `HERMES_ALLOW_PRIVATE_URLS` is false "
                    + "(a NAS on your network); a name is fetched only when every address it resolves to is public "
                    + "or listed");
    public static final String MAX_DOWNLOAD_BYTES = declare("HERMES_MAX_DOWNLOAD_BYTES", "10737418240",
            longInteger(1, Long.MAX_VALUE),
            "largest file the worker accepts (10 GiB)");
    public static final String DOWNLOAD_TIMEOUT = declare("HERMES_DOWNLOAD_TIMEOUT", "21600", integer(1, 7 * 86_400),
            "seconds a transfer may take in all");
    public static final String DOWNLOAD_IDLE_TIMEOUT = declare("HERMES_DOWNLOAD_IDLE_TIMEOUT", "60", integer(1, 3600),
            "seconds without a byte before a transfer fails");
    public static final String MAX_REDIRECTS = declare("HERMES_MAX_REDIRECTS", "5", integer(0, 20),
            "redirects the worker follows (each hop's address is checked)");
    public static final String WORKER_LEASE = declare("HERMES_WORKER_LEASE", "30", integer(3, 3600),
            "seconds a running download stays claimed without renewal before another instance recovers it");
    // The files endpoints find a caller's files by walking its completed downloads: this bounds one request's walk.
    public static final String FILES_SCAN_LIMIT = declare("HERMES_FILES_SCAN_LIMIT", "10000", integer(1, 1_000_000),
            "completed downloads, newest first, in which `/files` looks for a caller's files (every owner's for an "
                    + "admin); the files of older ones are neither listed nor served nor deleted (404)");

    public static final String YTDLP = declare("HERMES_YTDLP", "yt-dlp", text(),
            "the yt-dlp executable (a path, or a name looked up in `PATH`); when absent, direct files still "
                    + "download and `/info` answers 503 saying so");
    // /info and /formats run yt-dlp on a container thread (media.InfoServlet): these bound how many and how long.
    public static final String INFO_TIMEOUT = declare("HERMES_INFO_TIMEOUT", "30", integer(1, 600),
            "seconds one `/info` or `/formats` extraction may take; then yt-dlp is killed and the answer is 504");
    public static final String INFO_MAX_IN_FLIGHT = declare("HERMES_INFO_MAX_IN_FLIGHT", "4", integer(1, 256),
            "yt-dlp extractions for `/info` and `/formats` running at once per instance; beyond, 503 with "
                    + "`Retry-After`. Identical requests share one extraction; at most 4 × this many requests wait "
                    + "for extractions at once (each holds a container thread)");
    public static final String INFO_CACHE_SECONDS = declare("HERMES_INFO_CACHE_SECONDS", "300", integer(0, 86_400),
            "seconds an extracted URL is answered from memory (each instance keeps its own cache of at most 500 "
                    + "URLs and 32 MiB of yt-dlp output, least recently used out first); `0` keeps nothing");

    // Task sessions (contract section 8)
    public static final String SESSION_TTL = declare("HERMES_SESSION_TTL", "604800", integer(60, 365 * 86_400),
            "seconds a task session (`/sessions`) is kept after its last status update");

    // The NotifyHub feed (contract section 9): a NotifyHub page sends no key, so an operator may open it to all.
    public static final String PUBLIC_NOTIFICATIONS = declare("HERMES_PUBLIC_NOTIFICATIONS", "false", bool(),
            "whether the NotifyHub feed (`GET /events`, `GET /api/notifications` at the context root) may be read "
                    + "without a key or token; posting a notification always needs `write`");

    // Users and sign-in
    public static final String ALLOW_PUBLIC_SIGNUP = declare("HERMES_ALLOW_PUBLIC_SIGNUP", "false", bool(),
            "whether anyone may sign up once the first account (the admin) exists; only the initial value: "
                    + "`PUT /admin/settings/signup` stores the switch in Redis, and that wins once set");
    public static final String ACCESS_TOKEN_TTL = declare("HERMES_ACCESS_TOKEN_TTL", "900", integer(30, 86_400),
            "seconds a sign-in access token lasts");
    public static final String REFRESH_TOKEN_TTL = declare("HERMES_REFRESH_TOKEN_TTL", "604800",
            integer(60, 365 * 86_400),
            "seconds a sign-in session lives without a refresh (each refresh starts the time again)");
    // The upstream web app refreshes once per failed request, so a tab that wakes up sends one token several times.
    public static final String REFRESH_REUSE_GRACE = declare("HERMES_REFRESH_REUSE_GRACE", "30", integer(0, 300),
            "seconds after a refresh during which the refresh token just replaced still works, answering with the "
                    + "very tokens its replacement got (so concurrent refreshes of one client agree); after it, "
                    + "showing that token ends the session; `0`: never");
    // For a server that must have an admin before anyone opens a browser (and the dev run's known user).
    public static final String ADMIN_USERNAME = declare("HERMES_ADMIN_USERNAME", "", text(),
            "when set and no account exists yet, an admin account of this name is created at start-up "
                    + "(with `HERMES_ADMIN_PASSWORD`); nothing happens once any account exists");
    public static final String ADMIN_PASSWORD = declare("HERMES_ADMIN_PASSWORD", "", secret(),
            "that first admin's password (8 to 128 characters), stored only as its hash");
    // Counted in Redis, so every instance shares the count.
    public static final String LOGIN_MAX_FAILURES = declare("HERMES_LOGIN_MAX_FAILURES", "10", integer(1, 10_000),
            "failed sign-ins per username and per client address within `HERMES_LOGIN_WINDOW`; beyond, 429 "
                    + "with `Retry-After`");
    public static final String LOGIN_WINDOW = declare("HERMES_LOGIN_WINDOW", "300", integer(1, 86_400),
            "seconds over which failed sign-ins are counted");

    private final Map<String, Object> values;
    private final boolean redisUrlConfigured;

    private Settings(Map<String, Object> values, boolean redisUrlConfigured) {
        this.values = values;
        this.redisUrlConfigured = redisUrlConfigured;
    }

    /** Reads the process environment, with system properties taking precedence. */
    public static Settings fromEnvironment() {
        Map<String, String> env = System.getenv();
        return parse(name -> {
            String property = System.getProperty(name);
            return property != null ? property : env.get(name);
        });
    }

    /** Parses settings from any lookup (absent names map to {@code null}); tests pass a map. */
    public static Settings parse(Function<String, String> lookup) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : DECLARED) {
            values.put(setting.name(), setting.read(lookup));
        }
        boolean redisUrlConfigured = declaration(REDIS_URL).given(lookup) != null;
        return new Settings(Collections.unmodifiableMap(values), redisUrlConfigured);
    }

    /** Parses settings from a map of variable names to values; tests and embedders use this. */
    public static Settings parse(Map<String, String> values) {
        return parse(values::get);
    }

    public URI redisUrl() {
        return value(REDIS_URL);
    }

    /** Whether {@code HERMES_REDIS_URL} was given; when not, a development run may start its own Redis. */
    public boolean redisUrlConfigured() {
        return redisUrlConfigured;
    }

    public int redisTimeoutMillis() {
        return value(REDIS_TIMEOUT);
    }

    public List<String> redisSentinels() {
        return value(REDIS_SENTINELS);
    }

    public String redisMaster() {
        return value(REDIS_MASTER);
    }

    public String redisSentinelUser() {
        return value(REDIS_SENTINEL_USER);
    }

    public String redisSentinelPassword() {
        return value(REDIS_SENTINEL_PASSWORD);
    }

    public boolean redisSentinelTls() {
        return value(REDIS_SENTINEL_TLS);
    }

    public int canaryIntervalSeconds() {
        return value(CANARY_INTERVAL);
    }

    public int redisMemoryIntervalSeconds() {
        return value(REDIS_MEMORY_INTERVAL);
    }

    public int redisWaitReplicas() {
        return value(REDIS_WAIT_REPLICAS);
    }

    public int redisWaitTimeoutMillis() {
        return value(REDIS_WAIT_TIMEOUT);
    }

    public boolean sseEnabled() {
        return value(ENABLE_SSE);
    }

    public int heartbeatIntervalSeconds() {
        return value(HEARTBEAT_INTERVAL);
    }

    public int maxConnections() {
        return value(MAX_CONNECTIONS);
    }

    public int connectionTimeoutSeconds() {
        return value(CONNECTION_TIMEOUT);
    }

    public int retryMillis() {
        return value(RETRY_MS);
    }

    public int replaySize() {
        return value(REPLAY_SIZE);
    }

    public int clientBuffer() {
        return value(CLIENT_BUFFER);
    }

    public int compressionMaxStreams() {
        return value(COMPRESSION_MAX_STREAMS);
    }

    public int progressIntervalMillis() {
        return value(PROGRESS_INTERVAL_MS);
    }

    public List<String> allowedOrigins() {
        return value(ALLOWED_ORIGINS);
    }

    public List<String> adminApiKeys() {
        return value(API_KEYS);
    }

    public int maxBodyBytes() {
        return value(MAX_BODY_BYTES);
    }

    public int bodyReadTimeoutSeconds() {
        return value(BODY_READ_TIMEOUT);
    }

    public int bodyMaxInFlight() {
        return value(BODY_MAX_IN_FLIGHT);
    }

    public int maxMetadataBytes() {
        return value(MAX_METADATA_BYTES);
    }

    public long pollCacheBytes() {
        return value(POLL_CACHE_BYTES);
    }

    public AddressAllowList metricsAllow() {
        return value(METRICS_ALLOW);
    }

    public int fallbackReportsPerMinute() {
        return value(FALLBACK_REPORTS_PER_MINUTE);
    }

    public Path downloadDir() {
        return value(DOWNLOAD_DIR);
    }

    public Path tempDir() {
        return value(TEMP_DIR);
    }

    public boolean workerEnabled() {
        return value(WORKER_ENABLED);
    }

    public int workerConcurrency() {
        return value(WORKER_CONCURRENCY);
    }

    public String ytdlp() {
        return value(YTDLP);
    }

    public int infoTimeoutSeconds() {
        return value(INFO_TIMEOUT);
    }

    public int infoMaxInFlight() {
        return value(INFO_MAX_IN_FLIGHT);
    }

    public int infoCacheSeconds() {
        return value(INFO_CACHE_SECONDS);
    }

    public boolean allowPrivateUrls() {
        return value(ALLOW_PRIVATE_URLS);
    }

    public AddressAllowList privateUrlAllow() {
        return value(PRIVATE_URL_ALLOW);
    }

    public long maxDownloadBytes() {
        return value(MAX_DOWNLOAD_BYTES);
    }

    public int downloadTimeoutSeconds() {
        return value(DOWNLOAD_TIMEOUT);
    }

    public int downloadIdleTimeoutSeconds() {
        return value(DOWNLOAD_IDLE_TIMEOUT);
    }

    public int maxRedirects() {
        return value(MAX_REDIRECTS);
    }

    public int workerLeaseSeconds() {
        return value(WORKER_LEASE);
    }

    public int filesScanLimit() {
        return value(FILES_SCAN_LIMIT);
    }

    public String adminUsername() {
        return value(ADMIN_USERNAME);
    }

    public String adminPassword() {
        return value(ADMIN_PASSWORD);
    }

    public int sessionTtlSeconds() {
        return value(SESSION_TTL);
    }

    public boolean publicNotifications() {
        return value(PUBLIC_NOTIFICATIONS);
    }

    public boolean allowPublicSignup() {
        return value(ALLOW_PUBLIC_SIGNUP);
    }

    public int accessTokenTtlSeconds() {
        return value(ACCESS_TOKEN_TTL);
    }

    public int refreshTokenTtlSeconds() {
        return value(REFRESH_TOKEN_TTL);
    }

    public int refreshReuseGraceSeconds() {
        return value(REFRESH_REUSE_GRACE);
    }

    public int loginMaxFailures() {
        return value(LOGIN_MAX_FAILURES);
    }

    public int loginWindowSeconds() {
        return value(LOGIN_WINDOW);
    }

    /** Every setting by name, leaving out the Redis URL's credentials and the admin keys, so it can be logged. */
    @Override
    public String toString() {
        return DECLARED.stream()
                .map(setting -> setting.name() + "=" + setting.type().show(values.get(setting.name())))
                .collect(Collectors.joining(", ", "Settings[", "]"));
    }

    /** The declarations, in the README's order. */
    static List<Setting<?>> declared() {
        return Collections.unmodifiableList(DECLARED);
    }

    /** The README's settings table: a header and one row per declaration. */
    static String markdownTable() {
        return DECLARED.stream()
                .map(Setting::row)
                .collect(Collectors.joining("\n", "| Name | Default | Accepted | Meaning |\n|---|---|---|---|\n", "\n"));
    }

    /** Thrown when a setting has a value we cannot use; the message names the variable. */
    public static final class InvalidSettingException extends RuntimeException {
        InvalidSettingException(String name, String value, String expected) {
            super("Invalid value for " + name + (value == null ? "" : ": '" + value + "'") + " (expected " + expected + ")");
        }
    }

    private static <T> String declare(String name, String fallback, SettingType<T> type, String meaning) {
        if (DECLARED.stream().anyMatch(setting -> setting.name().equals(name))) {
            throw new IllegalStateException(name + " is declared twice");
        }
        DECLARED.add(new Setting<>(name, fallback, type, meaning));
        return name;
    }

    private static Setting<?> declaration(String name) {
        return DECLARED.stream().filter(setting -> setting.name().equals(name)).findFirst().orElseThrow();
    }

    /** The value of a declared setting; its accessor's return type must be the one its type parses to. */
    @SuppressWarnings("unchecked")
    private <T> T value(String name) {
        return (T) values.get(name);
    }
}
