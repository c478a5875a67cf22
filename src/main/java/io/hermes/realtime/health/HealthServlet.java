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
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code GET /health} and {@code /health/detailed}: open to everyone, 200 when Redis answers a PING and
 * this instance's delivery canary comes back, 503 when either fails, for load balancers and container
 * health checks. An instance whose subscription hears nothing would hold its streams without events.
 */
final class HealthServlet extends ApiServlet {
    private final transient UnifiedJedis redis;
    /** What the instance found at start: yt-dlp's status, message and version (never changes while it runs). */
    private final transient Map<String, Object> ytDlp;
    private final transient Clock clock;
    private final transient Supplier<Optional<String>> deliveryProblem;
    private final String version;
    private final String environment;
    private final boolean detailed;

    HealthServlet(Json json, UnifiedJedis redis, Clock clock, String version, String environment, boolean detailed,
            Map<String, Object> ytDlp, Supplier<Optional<String>> deliveryProblem) {
        super(json);
        this.redis = redis;
        this.clock = clock;
        this.version = version;
        this.environment = environment;
        this.detailed = detailed;
        this.ytDlp = ytDlp;
        this.deliveryProblem = deliveryProblem;
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
        boolean redisHealthy = problem == null;
        Optional<String> undelivered = deliveryProblem.get();
        boolean healthy = redisHealthy && undelivered.isEmpty();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : "unhealthy");
        body.put("timestamp", Timestamps.format(clock.instant()));
        body.put("version", version);
        body.put("environment", environment);
        if (detailed) {
            Map<String, Object> redisState = new LinkedHashMap<>();
            redisState.put("status", redisHealthy ? "healthy" : "unhealthy");
            redisState.put("message", redisHealthy ? "Redis answered PING" : "Redis unreachable: " + problem);
            redisState.put("responseTimeMs", millis);
            Map<String, Object> dependencies = new LinkedHashMap<>();
            dependencies.put("redis", redisState);
            Map<String, Object> delivery = new LinkedHashMap<>();
            delivery.put("status", undelivered.isEmpty() ? "healthy" : "unhealthy");
            delivery.put("message", undelivered.orElse("this instance's delivery canary comes back through Redis"));
            dependencies.put("delivery", delivery);
            dependencies.put("ytDlp", ytDlp); // absent yt-dlp leaves the server healthy: direct files still download
            body.put("dependencies", dependencies);
        }
        response.setHeader("Cache-Control", "no-store");
        respond(response, healthy ? 200 : 503, body);
    }
}
