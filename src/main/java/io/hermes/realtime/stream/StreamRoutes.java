package io.hermes.realtime.stream;

import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.auth.StreamGrant;
import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.downloads.DownloadIds;
import io.hermes.realtime.downloads.DownloadOwners;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.PathSegments;
import io.hermes.realtime.http.Sha256;
import io.hermes.realtime.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The routes of contract section 4. A token opens only its own scope's stream; a download stream needs a
 * download the caller can see (404 otherwise, so ids do not leak); non-admin streams carry only their
 * owner's download events.
 */
final class StreamRoutes {
    static final Set<Channel> DEFAULT_CHANNELS = EnumSet.of(Channel.DOWNLOAD, Channel.QUEUE, Channel.SYSTEM);
    private static final String DOWNLOAD_SCOPE = "download:";
    /** A token for one task session's stream (contract section 8). */
    private static final String SESSION_SCOPE = "session:";
    /** A task session's stream shows its events as {@code status} and ends at a final status. */
    private static final Relay SESSION_RELAY = new Relay("status", Set.of("completed", "failed", "cancelled"));
    /** A download's final statuses, after which nothing about it changes. */
    private static final Set<String> DOWNLOAD_FINAL = Set.of("completed", "failed", "cancelled");
    /** A download's stream keeps its events' names and ends after a final status. */
    private static final Relay DOWNLOAD_RELAY = new Relay(null, DOWNLOAD_FINAL);
    /** Our extension: a token for any stream the caller could open with its key (one EventSource per page). */
    static final String EVENTS_SCOPE = "events";
    private static final String MULTIPLEXED = "stream";
    private static final String DOWNLOADS = "downloads";
    private static final String SESSIONS = "sessions";
    /** NotifyHub's {@code /events} at the context root (contract section 9). */
    private static final String FEED = "feed";
    /** NotifyHub's page shows every notification as {@code notification}; its feed never ends by itself. */
    private static final Relay FEED_RELAY = new Relay("notification", Set.of());
    /**
     * Every endpoint's name: the last segment of its path ({@code /events/queue} is {@code queue}), and
     * {@code feed} for NotifyHub's {@code /events}.
     */
    static final List<String> ENDPOINTS = List.of(MULTIPLEXED, DOWNLOADS, Channel.QUEUE.shortName(),
            Channel.STATS.shortName(), Channel.STORAGE.shortName(), Channel.SYSTEM.shortName(), SESSIONS, FEED);

    private final DownloadOwners downloads;
    /** Given a download id and a viewer, whether that viewer is shown the download's end for the first time. */
    private final BiPredicate<String, String> firstEndShown;
    /** A task session's current state as its {@code session_status} event (owner included), empty for none. */
    private final Function<String, Optional<BusEvent>> sessionState;

    public StreamRoutes(DownloadOwners downloads, Function<String, Optional<BusEvent>> sessionState,
            BiPredicate<String, String> firstEndShown) {
        this.downloads = downloads;
        this.firstEndShown = firstEndShown;
        this.sessionState = sessionState;
    }

    /** {@code /events/queue}, {@code /events/stats} …: one channel, optionally opening with a snapshot. */
    public StreamRoute channel(Channel channel, Supplier<List<SseFrame>> snapshot) {
        return (request, grant) -> {
            if (grant.scope() != null && !grant.scope().equals(channel.shortName()) && !grant.scope().equals(EVENTS_SCOPE)) {
                throw wrongScope(grant);
            }
            return new StreamPlan(channel.shortName(), subscription(Set.of(channel), null, grant.caller()), snapshot,
                    grant.expiresAt());
        };
    }

    /**
     * NotifyHub's {@code /events}: the notification channel, each event shown as {@code notification}, opening
     * with {@code init} (the recent notifications) unless the client resumes. A token of scope {@code system} or
     * {@code events} opens it, as does a key with {@code read}.
     */
    public StreamRoute feed(Supplier<List<SseFrame>> init) {
        return (request, grant) -> {
            String scope = grant.scope();
            if (scope != null && !scope.equals(Channel.SYSTEM.shortName()) && !scope.equals(EVENTS_SCOPE)) {
                throw wrongScope(grant);
            }
            return new StreamPlan(FEED, subscription(Set.of(Channel.SYSTEM), null, grant.caller()), init,
                    grant.expiresAt()).relayedBy(FEED_RELAY);
        };
    }

    /**
     * {@code /events/downloads/{id}}: one download's updates, opening with its current state and ending after its
     * final status ({@code completed}, {@code failed}, {@code cancelled}), as a page needs no stream for a download
     * that cannot change (over HTTP/1.1 a browser has six connections to a server; one held per finished download
     * would starve the page). A download that has ended is shown as its final state, then the stream ends; to a
     * client with an SSE token that was shown that end already (it reconnected), the answer is 204, which stops an
     * {@code EventSource} for good.
     */
    public StreamRoute download(Function<String, Optional<BusEvent>> currentState) {
        return (request, grant) -> {
            String id = pathId(request);
            if (grant.scope() != null && !grant.scope().equals(DOWNLOAD_SCOPE + id) && !grant.scope().equals(EVENTS_SCOPE)) {
                throw wrongScope(grant);
            }
            requireVisible(id, grant.caller());
            Subscription subscription = subscription(Set.of(Channel.DOWNLOAD), id, grant.caller());
            // Read before the stream is registered: a final state never changes, so nothing can be missed.
            Optional<BusEvent> now = currentState.apply(id);
            if (now.map(BusEvent::status).filter(DOWNLOAD_FINAL::contains).isPresent()) {
                String token = request.getParameter("token");
                if (token != null && !token.isEmpty() && !firstEndShown.test(id, viewer(token))) {
                    throw new StreamOver("download " + id + " has ended, and this token was shown its end");
                }
                return new StreamPlan(DOWNLOADS, subscription, () -> List.of(SseFrame.of(now.get())), grant.expiresAt())
                        .relayedBy(DOWNLOAD_RELAY).snapshotEvenOnResume();
            }
            return new StreamPlan(DOWNLOADS, subscription,
                    () -> currentState.apply(id).map(SseFrame::of).map(List::of).orElse(List.of()), grant.expiresAt())
                    .relayedBy(DOWNLOAD_RELAY);
        };
    }

    /** Who holds an SSE token, as stored: a digest, never the token itself. */
    private static String viewer(String token) {
        return HexFormat.of().formatHex(Sha256.digest(token.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    /**
     * {@code /sessions/{id}/status/stream}: one task session's status, its current state first, every event
     * shown as {@code status}, ending after a final status. Only its owner (or an admin) may open it; for
     * anyone else the id does not exist.
     */
    public StreamRoute session() {
        return (request, grant) -> {
            List<String> segments = PathSegments.of(request);
            String id = segments.isEmpty() ? "" : segments.get(0);
            if (grant.scope() != null && !grant.scope().equals(SESSION_SCOPE + id) && !grant.scope().equals(EVENTS_SCOPE)) {
                throw wrongScope(grant);
            }
            requireVisibleSession(id, grant.caller());
            return new StreamPlan(SESSIONS, subscription(Set.of(Channel.SESSION), id, grant.caller()),
                    () -> sessionState.apply(id).map(SseFrame::of).map(List::of).orElse(List.of()), grant.expiresAt())
                    .relayedBy(SESSION_RELAY);
        };
    }

    /**
     * {@code /events/stream?channels=a,b&download_id=ID}. A token's scope replaces {@code channels}: a
     * {@code download:ID} token streams that download's updates, a channel token that channel; an
     * {@code events} token (our extension) keeps {@code channels}, as a Bearer key would.
     */
    public StreamRoute multiplexed() {
        return (request, grant) -> {
            Caller caller = grant.caller();
            String scope = grant.scope();
            if (scope == null || scope.equals(EVENTS_SCOPE)) {
                String id = downloadFilter(request);
                if (id != null) {
                    requireVisible(id, caller);
                }
                return new StreamPlan(MULTIPLEXED, subscription(channels(request), id, caller), List::of,
                        grant.expiresAt());
            }
            if (scope.startsWith(DOWNLOAD_SCOPE)) {
                String id = scope.substring(DOWNLOAD_SCOPE.length());
                requireVisible(id, caller);
                return new StreamPlan(MULTIPLEXED, subscription(Set.of(Channel.DOWNLOAD), id, caller), List::of,
                        grant.expiresAt());
            }
            if (scope.startsWith(SESSION_SCOPE)) {
                String id = scope.substring(SESSION_SCOPE.length());
                requireVisibleSession(id, caller);
                return new StreamPlan(MULTIPLEXED, subscription(Set.of(Channel.SESSION), id, caller), List::of,
                        grant.expiresAt());
            }
            Channel channel = Channel.named(scope).orElseThrow(() -> wrongScope(grant));
            return new StreamPlan(MULTIPLEXED, subscription(Set.of(channel), null, caller), List::of,
                    grant.expiresAt());
        };
    }

    private void requireVisible(String id, Caller caller) {
        if (!downloads.isVisible(id, caller)) {
            throw ApiException.notFound("Download not found");
        }
    }

    private void requireVisibleSession(String id, Caller caller) {
        if (!sessionState.apply(id).map(state -> caller.canSee(state.owner())).orElse(false)) {
            throw ApiException.notFound("Session not found");
        }
    }

    private static Subscription subscription(Set<Channel> channels, String downloadId, Caller caller) {
        return new Subscription(channels, downloadId, caller.ownerFilter());
    }

    private static ApiException wrongScope(StreamGrant grant) {
        return new ApiException(403, "Token scope '" + grant.scope() + "' does not allow this stream");
    }

    static Set<Channel> channels(HttpServletRequest request) {
        String listed = request.getParameter("channels");
        if (listed == null || listed.isEmpty()) {
            return DEFAULT_CHANNELS;
        }
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String name : QueryParams.items(listed)) {
            channels.add(Channel.named(name).orElseThrow(() -> ApiException.invalid(
                    "Unknown channel in 'channels': use download, queue, stats, storage, system or session")));
        }
        if (channels.isEmpty()) {
            throw ApiException.invalid("Query parameter 'channels' names no channel");
        }
        return channels;
    }

    private static String pathId(HttpServletRequest request) {
        List<String> segments = PathSegments.of(request);
        String id = segments.size() == 1 ? segments.get(0) : "";
        if (!DownloadIds.isWellFormed(id)) {
            throw ApiException.notFound("Download not found");
        }
        return id;
    }

    private static String downloadFilter(HttpServletRequest request) {
        String id = request.getParameter("download_id");
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (!DownloadIds.isWellFormed(id)) {
            throw ApiException.notFound("Download not found");
        }
        return id;
    }
}
