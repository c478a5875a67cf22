package io.hermes.realtime.notifications;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import java.time.Clock;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the notification feed: its store (a capped Redis list, each entry also broadcast as a
 * {@code system_notification}), {@code GET}/{@code POST /notifications}, and the same feed in NotifyHub's
 * shape at {@code /api/notifications} of the context root (contract section 9; its stream, {@code /events},
 * is the streams module's and opens with {@link #feedInit}).
 */
public final class NotificationsModule {
    /** How many of the newest notifications {@code /events/system} opens with. */
    private static final int SENT_AT_SYSTEM_INIT = 50;

    private final NotificationStore store;
    private final PolledView view;

    private NotificationsModule(NotificationStore store, PolledView view) {
        this.store = store;
        this.view = view;
    }

    /**
     * {@code feedReaders} authenticates reading the NotifyHub feed: {@code authenticator} itself, or it with
     * anonymous reading allowed ({@code HERMES_PUBLIC_NOTIFICATIONS}).
     */
    public static NotificationsModule register(ServletRegistrar servlets, UnifiedJedis redis, Json json, Clock clock,
            EventPublisher publisher, Authenticator authenticator, Authenticator feedReaders, PolledResponses responses,
            BodyReader bodies) {
        NotificationStore store = new NotificationStore(redis, publisher, json, clock);
        servlets.add("notifications", new NotificationsServlet(json, store, NotificationsServlet.Shape.API,
                authenticator, authenticator, responses, bodies), "/notifications");
        servlets.addAtRoot("notifyhub-notifications", new NotificationsServlet(json, store,
                NotificationsServlet.Shape.NOTIFYHUB, feedReaders, authenticator, responses, bodies), "/api/notifications");
        return new NotificationsModule(store, NotificationsServlet.view(store, NotificationsServlet.Shape.API));
    }

    /** The feed's answer, which the stream snapshot {@code notifications} repeats. */
    public PolledView view() {
        return view;
    }

    /** The data of the {@code init} event that {@code /events/system} opens with: the newest notifications. */
    public Map<String, Object> systemInit() {
        return Map.of("notifications", store.recentWireForm(SENT_AT_SYSTEM_INIT));
    }

    /**
     * The data of the {@code init} event that NotifyHub's {@code /events} opens with: the newest notifications as
     * {@code [{id, message, timestamp}]}, newest first.
     */
    public Object feedInit() {
        return store.recent(NotificationsServlet.DEFAULT_LIMIT).stream().map(Notification::feedForm).toList();
    }
}
