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

/**
 * {@code /api/notifications} at the context root, as NotifyHub's page polls it and its tool posts to it
 * (contract section 9): the same store as {@code /api/v1/notifications}, in NotifyHub's shape
 * {@code {id, message, timestamp}}, newest first. Reading may be open to all ({@code HERMES_PUBLIC_NOTIFICATIONS},
 * decided by the {@code readers} authenticator); posting always needs {@code write}.
 */
final class FeedServlet extends ApiServlet {
    /** A page that falls back to polling asks every 10 s without parameters: it gets the newest this many. */
    static final int DEFAULT_LIMIT = 50;

    private final transient NotificationStore store;
    private final transient PolledView view;
    private final transient Authenticator readers;
    private final transient Authenticator writers;
    private final transient PolledResponses responses;

    FeedServlet(Json json, NotificationStore store, Authenticator readers, Authenticator writers,
            PolledResponses responses, BodyReader bodies) {
        super(json, bodies);
        this.store = store;
        this.readers = readers;
        this.writers = writers;
        this.responses = responses;
        this.view = (owner, parameters) -> {
            int limit = QueryParams.integer(parameters, "limit", 1, NotificationStore.KEPT, DEFAULT_LIMIT);
            return PolledView.Prepared.of(() -> feed(store, limit), limit);
        };
    }

    /** The newest {@code limit} notifications in NotifyHub's shape. */
    static Object feed(NotificationStore store, int limit) {
        return store.recent(limit).stream().map(Notification::feedForm).toList();
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        readers.authenticate(request, "read");
        responses.respond(request, response, DataSet.NOTIFICATIONS, "notifyhub", view, null);
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        writers.authenticate(request, "write");
        RequestBody body = RequestBody.read(json, request);
        String message = body.string("message", 1, 1000);
        respond(response, 201, store.add("info", message).feedForm());
    }
}
