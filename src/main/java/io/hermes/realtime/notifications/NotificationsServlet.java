package io.hermes.realtime.notifications;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * {@code GET} lists the feed, newest first; {@code POST} adds to it and broadcasts. Serves both
 * {@code /api/v1/notifications} and NotifyHub's {@code /api/notifications} at the context root (contract
 * section 9), which differ only in {@link Shape}.
 */
final class NotificationsServlet extends ApiServlet {
    private static final Set<String> TYPES = Set.of("info", "warning", "error");
    /** A page that polls asks without parameters: it gets the newest this many. */
    static final int DEFAULT_LIMIT = 50;

    /** How a client sees the feed. */
    enum Shape {
        /** The REST API's: {@code {id, notificationType, message, timestamp}}, the type chosen by the poster. */
        API("notifications"),
        /** NotifyHub's: {@code {id, message, timestamp}}; its tool posts {@code {message}} alone. */
        NOTIFYHUB("notifyhub");

        /** Names the polled view, so the two shapes are kept apart in the rendered-body cache. */
        private final String view;

        Shape(String view) {
            this.view = view;
        }

        Object of(Notification notification) {
            return this == API ? notification : notification.feedForm();
        }
    }

    private final transient NotificationStore store;
    private final transient Shape shape;
    private final transient PolledView view;
    private final transient Authenticator readers;
    private final transient Authenticator writers;
    private final transient PolledResponses responses;

    /**
     * {@code readers} authenticates reading ({@code authenticator}, or it with anonymous reading allowed),
     * {@code writers} posting.
     */
    NotificationsServlet(Json json, NotificationStore store, Shape shape, Authenticator readers,
            Authenticator writers, PolledResponses responses, BodyReader bodies) {
        super(json, bodies);
        this.store = store;
        this.shape = shape;
        this.view = view(store, shape);
        this.readers = readers;
        this.writers = writers;
        this.responses = responses;
    }

    /** The feed's answer in {@code shape}; the API's is what the stream snapshot {@code notifications} repeats. */
    static PolledView view(NotificationStore store, Shape shape) {
        return (owner, parameters) -> {
            int limit = QueryParams.integer(parameters, "limit", 1, NotificationStore.KEPT, DEFAULT_LIMIT);
            // The feed is the same for every reader, so the identity holds no owner.
            return PolledView.Prepared.of(() -> store.recent(limit).stream().map(shape::of).toList(), limit);
        };
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        readers.authenticate(request, "read");
        responses.respond(request, response, DataSet.NOTIFICATIONS, shape.view, view, null);
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        writers.authenticate(request, "write");
        RequestBody body = RequestBody.read(json, request);
        String message = body.string("message", 1, 1000);
        String type = shape == Shape.API ? body.oneOf("notificationType", TYPES, "info") : "info";
        respond(response, 201, shape.of(store.add(type, message)));
    }
}
