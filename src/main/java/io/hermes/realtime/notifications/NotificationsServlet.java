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

/** {@code GET /notifications} lists the feed; {@code POST /notifications} adds to it and broadcasts. */
final class NotificationsServlet extends ApiServlet {
    private static final Set<String> TYPES = Set.of("info", "warning", "error");

    private final transient NotificationStore store;
    private final transient PolledView view;
    private final transient Authenticator authenticator;
    private final transient PolledResponses responses;

    NotificationsServlet(Json json, NotificationStore store, Authenticator authenticator,
            PolledResponses responses, BodyReader bodies) {
        super(json, bodies);
        this.store = store;
        this.view = view(store);
        this.authenticator = authenticator;
        this.responses = responses;
    }

    /** The feed's answer, which the stream snapshot {@code notifications} repeats. */
    static PolledView view(NotificationStore store) {
        return (owner, parameters) -> {
            int limit = QueryParams.integer(parameters, "limit", 1, NotificationStore.KEPT, 50);
            // The feed is the same for every reader, so the identity holds no owner.
            return PolledView.Prepared.of(() -> store.recent(limit), limit);
        };
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "read");
        responses.respond(request, response, DataSet.NOTIFICATIONS, "notifications", view, null);
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "write");
        RequestBody body = RequestBody.read(json, request);
        String message = body.string("message", 1, 1000);
        String type = body.oneOf("notificationType", TYPES, "info");
        respond(response, 201, store.add(type, message));
    }
}
