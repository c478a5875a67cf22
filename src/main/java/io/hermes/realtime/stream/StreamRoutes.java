package io.hermes.realtime.stream;

import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.downloads.DownloadIds;
import io.hermes.realtime.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The routes of contract section 4. */
public final class StreamRoutes {
    static final Set<Channel> DEFAULT_CHANNELS = EnumSet.of(Channel.DOWNLOAD, Channel.QUEUE, Channel.SYSTEM);

    private StreamRoutes() {
    }

    /** {@code /events/queue}, {@code /events/stats} …: one channel, optionally opening with a snapshot. */
    public static StreamRoute channel(Channel channel, Supplier<List<SseFrame>> snapshot) {
        return new StreamRoute() {
            @Override
            public String scope(HttpServletRequest request) {
                return channel.shortName();
            }

            @Override
            public StreamPlan plan(HttpServletRequest request, Caller caller) {
                return new StreamPlan(Subscription.of(channel), snapshot);
            }
        };
    }

    /** {@code /events/downloads/{id}}: one download's updates, opening with its current state. */
    public static StreamRoute download(Function<String, List<SseFrame>> currentState) {
        return new StreamRoute() {
            @Override
            public String scope(HttpServletRequest request) {
                return "download:" + downloadId(request);
            }

            @Override
            public StreamPlan plan(HttpServletRequest request, Caller caller) {
                String id = downloadId(request);
                return new StreamPlan(new Subscription(Set.of(Channel.DOWNLOAD), id), () -> currentState.apply(id));
            }

            private String downloadId(HttpServletRequest request) {
                String path = request.getPathInfo();
                String id = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
                if (id.endsWith("/")) {
                    id = id.substring(0, id.length() - 1);
                }
                if (!DownloadIds.isWellFormed(id)) {
                    throw ApiException.notFound("Download not found");
                }
                return id;
            }
        };
    }

    /** {@code /events/stream?channels=a,b&download_id=ID}. */
    public static StreamRoute multiplexed() {
        return new StreamRoute() {
            @Override
            public String scope(HttpServletRequest request) {
                String id = downloadFilter(request);
                return id == null ? null : "download:" + id;
            }

            @Override
            public StreamPlan plan(HttpServletRequest request, Caller caller) {
                return StreamPlan.of(new Subscription(channels(request), downloadFilter(request)));
            }
        };
    }

    static Set<Channel> channels(HttpServletRequest request) {
        String listed = request.getParameter("channels");
        if (listed == null || listed.isBlank()) {
            return DEFAULT_CHANNELS;
        }
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String name : listed.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            channels.add(Channel.named(trimmed).orElseThrow(() -> ApiException.invalid(
                    "Unknown channel in 'channels': use download, queue, stats, storage or system")));
        }
        if (channels.isEmpty()) {
            throw ApiException.invalid("Query parameter 'channels' names no channel");
        }
        return channels;
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
