package io.hermes.realtime.health;

import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code GET /health} and {@code /health/detailed}: open to everyone, 200 when Redis answers a PING and
 * 503 when it does not, for load balancers and container health checks.
 */
final class HealthServlet extends ApiServlet {
    private final transient UnifiedJedis redis;
    /** What the instance found at start: yt-dlp's status, message and version (never changes while it runs). */
    private final transient Map<String, Object> ytDlp;
    private final transient Clock clock;
    private final String version;
    private final String environment;
    private final boolean detailed;

    HealthServlet(Json json, UnifiedJedis redis, Clock clock, String version, String environment, boolean detailed,
            Map<String, Object> ytDlp) {
        super(json);
        this.redis = redis;
        this.clock = clock;
        this.version = version;
        this.environment = environment;
        this.detailed = detailed;
        this.ytDlp = ytDlp;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        String problem = null;
        try {
            redis.ping();
        } catch (RuntimeException unreachable) {
            problem = unreachable.getMessage() == null ? unreachable.getClass().getSimpleName() : unreachable.getMessage();
        }
        double millis = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
        boolean healthy = problem == null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : "unhealthy");
        body.put("timestamp", Timestamps.format(clock.instant()));
        body.put("version", version);
        body.put("environment", environment);
        if (detailed) {
            Map<String, Object> redisState = new LinkedHashMap<>();
            redisState.put("status", healthy ? "healthy" : "unhealthy");
            redisState.put("message", healthy ? "Redis answered PING" : "Redis unreachable: " + problem);
            redisState.put("responseTimeMs", millis);
            Map<String, Object> dependencies = new LinkedHashMap<>();
            dependencies.put("redis", redisState);
            dependencies.put("ytDlp", ytDlp); // absent yt-dlp leaves the server healthy: direct files still download
            body.put("dependencies", dependencies);
        }
        response.setHeader("Cache-Control", "no-store");
        respond(response, healthy ? 200 : 503, body);
    }
}
