package io.hermes.realtime.stream;

import io.hermes.realtime.auth.StreamGrant;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.PolledView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The opening snapshot of REST views (our extension): {@code ?snapshot=queue,stats} makes a stream send,
 * right after {@code connected} and only when it does not resume, one {@code snapshot} event per named
 * view, whose {@code data} is the body that view's polling endpoint answers the same caller. A client then
 * needs no request besides the stream. A view's query parameters carry its name as a prefix
 * ({@code queue.limit=50}, {@code stats.period=week}) and are validated as its endpoint validates them.
 *
 * <p>Everything that can refuse the request happens in {@link #plan}, before the stream starts; reading
 * happens in the handshake, after the stream is registered, so nothing published meanwhile is missed. (What
 * a view fixes while it is planned, today's date and, for {@code stats}, the download directory's size, is
 * read a moment earlier, before the stream is registered.)
 */
final class ViewSnapshots {
    static final String PARAMETER = "snapshot";
    static final String EVENT = "snapshot";
    /** Every view is a read endpoint. */
    private static final String PERMISSION = "read";

    private final Map<String, PolledView> views;
    private final Json json;

    /** {@code views} by snapshot name, in the order the error message lists them. */
    public ViewSnapshots(Map<String, PolledView> views, Json json) {
        this.views = new LinkedHashMap<>(views);
        this.json = json;
    }

    /** A view asked for, validated, to be read when the stream opens. */
    record Planned(String view, SortedMap<String, String> query, Supplier<Object> reader) {
    }

    /**
     * The views {@code ?snapshot=} names, in the order given, each once; empty when it names none.
     *
     * @throws ApiException 400 for an unknown view; 403 when the caller may not read views or its token is
     *                      scoped to one stream; the view's own error (422) for a bad parameter
     */
    List<Planned> plan(HttpServletRequest request, StreamGrant grant) {
        String listed = request.getParameter(PARAMETER);
        if (listed == null || listed.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : QueryParams.items(listed)) {
            if (names.contains(name)) {
                continue;
            }
            if (!views.containsKey(name)) {
                throw new ApiException(400, "Unknown view in '" + PARAMETER + "': use " + String.join(", ", views.keySet()));
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            return List.of();
        }
        // A token names one stream; the "events" token stands for the key that asked for it, as a Bearer key does.
        String scope = grant.scope();
        if (scope != null && !scope.equals(StreamRoutes.EVENTS_SCOPE)) {
            throw new ApiException(403, "Token scope '" + scope + "' does not allow snapshots: use a token of scope '"
                    + StreamRoutes.EVENTS_SCOPE + "' or an API key");
        }
        if (!grant.caller().may(PERMISSION)) {
            throw new ApiException(403, "Permission denied: " + PERMISSION + " required");
        }
        String owner = grant.caller().ownerFilter();
        List<Planned> planned = new ArrayList<>(names.size());
        for (String name : names) {
            SortedMap<String, String> query = query(request, name);
            planned.add(new Planned(name, query, reader(views.get(name), owner, query)));
        }
        return planned;
    }

    /**
     * The view's body, to be read when the stream opens. A view refuses a bad parameter here (4xx, which
     * refuses the stream); a server-side failure while it fixes what its body depends on (the download
     * directory's size for {@code stats}) is kept for the view's frame, as a failure to read the body is.
     */
    private static Supplier<Object> reader(PolledView view, String owner, SortedMap<String, String> query) {
        try {
            return view.prepare(owner, query::get).body();
        } catch (ApiException failed) {
            if (failed.status() < 500) {
                throw failed;
            }
            return () -> {
                throw failed;
            };
        }
    }

    /** The parameters prefixed {@code name.}, without the prefix; the first value of each. */
    private static SortedMap<String, String> query(HttpServletRequest request, String name) {
        String prefix = name + ".";
        SortedMap<String, String> query = new TreeMap<>();
        request.getParameterMap().forEach((parameter, values) -> {
            if (parameter.startsWith(prefix) && parameter.length() > prefix.length() && values.length > 0) {
                query.put(parameter.substring(prefix.length()), values[0]);
            }
        });
        return query;
    }

    /** Reads every planned view now and encodes one {@code snapshot} frame each. */
    Supplier<List<SseFrame>> frames(List<Planned> planned) {
        return () -> {
            List<SseFrame> frames = new ArrayList<>(planned.size());
            for (Planned view : planned) {
                frames.add(frame(view));
            }
            return frames;
        };
    }

    /**
     * {@code {"view", "query", "data", "error"}}: {@code data} as the endpoint's body and {@code error}
     * {@code null}, or, when the endpoint would have answered an error (storage unreadable, say), {@code data}
     * {@code null} and {@code error} {@code {"status", "detail"}}, so one failing view does not cost the stream.
     */
    private SseFrame frame(Planned view) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("view", view.view());
        data.put("query", view.query());
        try {
            data.put("data", view.reader().get());
            data.put("error", null);
        } catch (ApiException refused) {
            data.put("data", null);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", refused.status());
            error.put("detail", refused.getMessage());
            data.put("error", error);
        }
        return SseFrame.control(EVENT, json.write(data));
    }
}
