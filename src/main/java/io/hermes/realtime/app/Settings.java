package io.hermes.realtime.app;

import io.hermes.realtime.metrics.AddressAllowList;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of contract section 6, parsed and validated once at start-up. Each is read from the
 * environment variable of its name, overridden by a JVM system property of the same name.
 */
public record Settings(
        URI redisUrl,
        boolean redisUrlConfigured,
        boolean sseEnabled,
        int heartbeatIntervalSeconds,
        int maxConnections,
        int connectionTimeoutSeconds,
        int retryMillis,
        int replaySize,
        int clientBuffer,
        List<String> allowedOrigins,
        List<String> adminApiKeys,
        Path downloadDir,
        Path tempDir,
        boolean workerEnabled,
        int workerConcurrency,
        boolean allowPrivateUrls,
        int maxBodyBytes,
        int bodyReadTimeoutSeconds,
        int bodyMaxInFlight,
        int maxMetadataBytes,
        long maxDownloadBytes,
        int downloadTimeoutSeconds,
        int downloadIdleTimeoutSeconds,
        int maxRedirects,
        int workerLeaseSeconds,
        AddressAllowList metricsAllow,
        int redisTimeoutMillis,
        int compressionMaxStreams,
        int progressIntervalMillis,
        long pollCacheBytes) {

    public static final String REDIS_URL = "HERMES_REDIS_URL";
    public static final String ENABLE_SSE = "HERMES_ENABLE_SSE";
    public static final String HEARTBEAT_INTERVAL = "HERMES_SSE_HEARTBEAT_INTERVAL";
    public static final String MAX_CONNECTIONS = "HERMES_SSE_MAX_CONNECTIONS";
    public static final String CONNECTION_TIMEOUT = "HERMES_SSE_CONNECTION_TIMEOUT";
    public static final String RETRY_MS = "HERMES_SSE_RETRY_MS";
    public static final String REPLAY_SIZE = "HERMES_SSE_REPLAY_SIZE";
    public static final String CLIENT_BUFFER = "HERMES_SSE_CLIENT_BUFFER";
    public static final String ALLOWED_ORIGINS = "HERMES_ALLOWED_ORIGINS";
    public static final String API_KEYS = "HERMES_API_KEYS";
    public static final String DOWNLOAD_DIR = "HERMES_DOWNLOAD_DIR";
    public static final String TEMP_DIR = "HERMES_TEMP_DIR";
    public static final String WORKER_ENABLED = "HERMES_WORKER_ENABLED";
    public static final String WORKER_CONCURRENCY = "HERMES_WORKER_CONCURRENCY";
    public static final String ALLOW_PRIVATE_URLS = "HERMES_ALLOW_PRIVATE_URLS";
    public static final String MAX_BODY_BYTES = "HERMES_MAX_BODY_BYTES";
    public static final String BODY_READ_TIMEOUT = "HERMES_BODY_READ_TIMEOUT";
    public static final String BODY_MAX_IN_FLIGHT = "HERMES_BODY_MAX_IN_FLIGHT";
    public static final String MAX_METADATA_BYTES = "HERMES_MAX_METADATA_BYTES";
    public static final String MAX_DOWNLOAD_BYTES = "HERMES_MAX_DOWNLOAD_BYTES";
    public static final String DOWNLOAD_TIMEOUT = "HERMES_DOWNLOAD_TIMEOUT";
    public static final String DOWNLOAD_IDLE_TIMEOUT = "HERMES_DOWNLOAD_IDLE_TIMEOUT";
    public static final String MAX_REDIRECTS = "HERMES_MAX_REDIRECTS";
    public static final String WORKER_LEASE = "HERMES_WORKER_LEASE";
    public static final String METRICS_ALLOW = "HERMES_METRICS_ALLOW";
    public static final String REDIS_TIMEOUT = "HERMES_REDIS_TIMEOUT";
    public static final String COMPRESSION_MAX_STREAMS = "HERMES_SSE_COMPRESSION_MAX_STREAMS";
    public static final String PROGRESS_INTERVAL_MS = "HERMES_SSE_PROGRESS_INTERVAL_MS";
    public static final String POLL_CACHE_BYTES = "HERMES_POLL_CACHE_BYTES";

    public static final String DEFAULT_REDIS_URL = "redis://localhost:6379";

    /** Leaves out the Redis URL's credentials and the admin keys, so the settings can be logged. */
    @Override
    public String toString() {
        return "Settings[redis=" + redisUrl.getScheme() + "://" + redisUrl.getHost() + ":" + redisUrl.getPort()
                + ", sseEnabled=" + sseEnabled + ", heartbeat=" + heartbeatIntervalSeconds + "s, maxConnections="
                + maxConnections + ", connectionTimeout=" + connectionTimeoutSeconds + "s, retry=" + retryMillis
                + "ms, replaySize=" + replaySize + ", clientBuffer=" + clientBuffer + ", allowedOrigins=" + allowedOrigins
                + ", adminKeys=" + adminApiKeys.size() + ", downloadDir=" + downloadDir + ", tempDir=" + tempDir
                + ", workerEnabled=" + workerEnabled + ", workerConcurrency=" + workerConcurrency
                + ", allowPrivateUrls=" + allowPrivateUrls + ", maxBodyBytes=" + maxBodyBytes
                + ", bodyReadTimeout=" + bodyReadTimeoutSeconds + "s, bodyMaxInFlight=" + bodyMaxInFlight
                + ", maxMetadataBytes=" + maxMetadataBytes
                + ", maxDownloadBytes=" + maxDownloadBytes + ", downloadTimeout=" + downloadTimeoutSeconds
                + "s, downloadIdleTimeout=" + downloadIdleTimeoutSeconds + "s, maxRedirects=" + maxRedirects
                + ", workerLease=" + workerLeaseSeconds + "s, metricsAllow=" + metricsAllow
                + ", redisTimeout=" + redisTimeoutMillis + "ms, compressionMaxStreams=" + compressionMaxStreams
                + ", progressInterval=" + progressIntervalMillis + "ms, pollCacheBytes=" + pollCacheBytes + "]";
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
        Reader in = new Reader(lookup);
        String redis = in.raw(REDIS_URL);
        return new Settings(
                in.redisUri(REDIS_URL, redis == null ? DEFAULT_REDIS_URL : redis),
                redis != null,
                in.bool(ENABLE_SSE, true),
                in.integer(HEARTBEAT_INTERVAL, 30, 1, 3600),
                in.integer(MAX_CONNECTIONS, 1000, 1, 1_000_000),
                in.integer(CONNECTION_TIMEOUT, 300, 5, 86_400),
                in.integer(RETRY_MS, 3000, 0, 600_000),
                in.integer(REPLAY_SIZE, 10_000, 1, 10_000_000),
                in.integer(CLIENT_BUFFER, 1000, 1, 1_000_000),
                in.list(ALLOWED_ORIGINS),
                in.list(API_KEYS),
                in.path(DOWNLOAD_DIR, "./downloads"),
                in.path(TEMP_DIR, "./temp"),
                in.bool(WORKER_ENABLED, true),
                in.integer(WORKER_CONCURRENCY, 2, 1, 64),
                in.bool(ALLOW_PRIVATE_URLS, false),
                in.integer(MAX_BODY_BYTES, 1_048_576, 1024, 1 << 30),
                // A body must have arrived whole this many seconds after its request did (else 408); it is
                // read without holding a container thread, so this bounds memory and sockets, not threads.
                in.integer(BODY_READ_TIMEOUT, 10, 1, 300),
                // Bodies being received at once per credential (or per address without one); each address
                // may have four times as many whatever credentials it presents (ApiServlet's BodyReader).
                in.integer(BODY_MAX_IN_FLIGHT, 8, 1, 100_000),
                // A download's metadata, as compact JSON, kept in its Redis hash for as long as the download is.
                in.integer(MAX_METADATA_BYTES, 16_384, 2, 1 << 30),
                in.longInteger(MAX_DOWNLOAD_BYTES, 10L << 30, 1, Long.MAX_VALUE),
                in.integer(DOWNLOAD_TIMEOUT, 21_600, 1, 7 * 86_400),
                in.integer(DOWNLOAD_IDLE_TIMEOUT, 60, 1, 3600),
                in.integer(MAX_REDIRECTS, 5, 0, 20),
                in.integer(WORKER_LEASE, 30, 3, 3600),
                in.addresses(METRICS_ALLOW),
                // Connect and read limit of every Redis call (and a quarter of it for a pooled connection):
                // while Redis does not answer, a request fails (503) after about this long instead of
                // holding a container thread.
                in.integer(REDIS_TIMEOUT, 500, 50, 60_000),
                // Each compressed stream holds a zlib deflater, about 256 KiB of native memory; beyond this
                // many at once, streams go uncompressed. 0 turns compression off.
                in.integer(COMPRESSION_MAX_STREAMS, 100, 0, 100_000),
                // The default minimum gap between two download_progress events of one download on one
                // stream (a client may ask for its own with ?progress_interval_ms=); 0 sends every one.
                in.integer(PROGRESS_INTERVAL_MS, 0, 0, 60_000),
                // Rendered bodies of polled views kept per instance (PolledViews); 0 keeps none.
                in.longInteger(POLL_CACHE_BYTES, 8L << 20, 0, 1L << 30));
    }

    /** Parses settings from a map of variable names to values; tests and embedders use this. */
    public static Settings parse(Map<String, String> values) {
        return parse(values::get);
    }

    /** Thrown when a setting has a value we cannot use; the message names the variable. */
    public static final class InvalidSettingException extends RuntimeException {
        InvalidSettingException(String name, String value, String expected) {
            super("Invalid value for " + name + (value == null ? "" : ": '" + value + "'") + " (expected " + expected + ")");
        }
    }

    private record Reader(Function<String, String> lookup) {
        String raw(String name) {
            String value = lookup.apply(name);
            return value == null || value.isBlank() ? null : value.trim();
        }

        boolean bool(String name, boolean fallback) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase()) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new InvalidSettingException(name, value, "true or false");
            };
        }

        int integer(String name, int fallback, int min, int max) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException notANumber) {
                // reported below with the accepted range
            }
            throw new InvalidSettingException(name, value, "an integer from " + min + " to " + max);
        }

        long longInteger(String name, long fallback, long min, long max) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException notANumber) {
                // reported below with the accepted range
            }
            throw new InvalidSettingException(name, value, "an integer from " + min + " to " + max);
        }

        List<String> list(String name) {
            String value = raw(name);
            if (value == null) {
                return List.of();
            }
            return Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(item -> !item.isEmpty())
                    .toList();
        }

        AddressAllowList addresses(String name) {
            try {
                return AddressAllowList.parse(list(name));
            } catch (IllegalArgumentException invalid) {
                throw new InvalidSettingException(name, raw(name),
                        "comma-separated IP addresses or CIDR ranges, such as 127.0.0.1,10.0.0.0/8,::1");
            }
        }

        Path path(String name, String fallback) {
            String value = raw(name);
            try {
                return Path.of(value == null ? fallback : value);
            } catch (RuntimeException invalid) {
                throw new InvalidSettingException(name, value, "a file system path");
            }
        }

        URI redisUri(String name, String value) {
            try {
                URI uri = new URI(value);
                if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException malformed) {
                // reported below
            }
            // The value is left out of the message: a Redis URL may carry a password.
            throw new InvalidSettingException(name, null, "redis://[user:password@]host:port or rediss://…");
        }
    }
}
