package io.hermes.realtime.stream;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.StreamGrant;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.redis.RedisUnreachable;
import io.hermes.realtime.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One SSE endpoint. Checks run in the contract's order, all before any byte is streamed: the feature
 * switch, then authentication and the route's own checks, then our extensions' parameters (the snapshot's
 * views, the progress interval), then the connection limit.
 */
final class StreamServlet extends ApiServlet {
    /** Our extension: the least gap between two progress steps of one download on this stream. */
    private static final String PROGRESS_INTERVAL = "progress_interval_ms";
    private static final int MAX_PROGRESS_INTERVAL_MILLIS = 60_000;

    private final transient StreamHandshake handshake;
    private final transient Authenticator authenticator;
    private final transient StreamRoute route;
    private final transient ViewSnapshots snapshots;
    private final boolean enabled;

    public StreamServlet(Json json, boolean enabled, StreamHandshake handshake, Authenticator authenticator,
            StreamRoute route, ViewSnapshots snapshots) {
        super(json);
        this.enabled = enabled;
        this.handshake = handshake;
        this.authenticator = authenticator;
        this.route = route;
        this.snapshots = snapshots;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("HEAD".equals(request.getMethod())) {
            throw new ApiException(405, "Method Not Allowed: open the stream with GET", Map.of("Allow", "GET, OPTIONS"));
        }
        if (!enabled) {
            handshake.refused(StreamMetrics.Failure.DISABLED);
            throw ApiException.unavailable("SSE is not enabled on this server");
        }
        StreamPlan plan;
        try {
            plan = plan(request);
        } catch (StreamOver over) {
            // No body: 204 is how a server tells an EventSource not to come back. Not a failure: nothing is left.
            response.setStatus(204);
            response.setHeader("Cache-Control", "no-store");
            return;
        } catch (ApiException refused) {
            handshake.refused(StreamMetrics.Failure.ofStatus(refused.status()));
            throw refused;
        } catch (RuntimeException failed) {
            // Redis unreachable while checking a stored key or token (answered 503), or a fault (500).
            handshake.refused(RedisUnreachable.is(failed) ? StreamMetrics.Failure.UNAVAILABLE
                    : StreamMetrics.Failure.ERROR);
            throw failed;
        }
        handshake.open(request, response, plan);
    }

    /** Authenticates the request and plans its stream; every refusal is thrown before a byte is streamed. */
    private StreamPlan plan(HttpServletRequest request) {
        StreamGrant grant = authenticator.authenticateStream(request);
        StreamPlan plan = route.plan(request, grant).openedWith(grant.caller().credential());
        List<ViewSnapshots.Planned> views = snapshots.plan(request, grant);
        if (!views.isEmpty()) {
            plan = plan.withViews(snapshots.frames(views));
        }
        int progressInterval = progressInterval(request);
        if (progressInterval >= 0) {
            plan = plan.withProgressInterval(progressInterval);
        }
        return plan;
    }

    /**
     * The interval the request asks for with {@value #PROGRESS_INTERVAL}, or -1 when it does not ask.
     *
     * @throws ApiException 422 for a value that is not an integer from 0 to {@value #MAX_PROGRESS_INTERVAL_MILLIS}
     */
    private static int progressInterval(HttpServletRequest request) {
        return QueryParams.integer(request, PROGRESS_INTERVAL, 0, MAX_PROGRESS_INTERVAL_MILLIS, -1);
    }
}
