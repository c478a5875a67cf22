package io.hermes.realtime.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.ViewVersions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * The notification feed: a capped Redis list, newest first, and the {@code system_notification} event
 * every new entry is broadcast as.
 */
final class NotificationStore {
    /** Redis list of notifications in wire form, newest at the head. */
    static final String KEY = "hermes:notifications";
    static final int KEPT = 1000;
    private static final System.Logger LOG = System.getLogger(NotificationStore.class.getName());

    private final UnifiedJedis redis;
    private final EventPublisher publisher;
    private final Json json;
    private final Clock clock;

    NotificationStore(UnifiedJedis redis, EventPublisher publisher, Json json, Clock clock) {
        this.redis = redis;
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
    }

    /** Stores a notification, keeping the newest {@value #KEPT}, then broadcasts it. */
    Notification add(String type, String message) {
        Notification notification = new Notification(UUID.randomUUID().toString(), type, message,
                Timestamps.format(clock.instant()));
        String stored = json.write(notification.wireForm());
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.lpush(KEY, stored);
            transaction.ltrim(KEY, 0, KEPT - 1);
            ViewVersions.bump(transaction, DataSet.NOTIFICATIONS);
            transaction.exec();
        }
        publisher.publish(Channel.SYSTEM, notification.wireForm());
        return notification;
    }

    /** The newest {@code limit} notifications, newest first. */
    List<Notification> recent(int limit) {
        List<String> stored = redis.lrange(KEY, 0, limit - 1L);
        List<Notification> notifications = new ArrayList<>(stored.size());
        for (String entry : stored) {
            try {
                JsonNode node = json.mapper().readTree(entry);
                notifications.add(new Notification(node.path("id").asText(), node.path("notification_type").asText(),
                        node.path("message").asText(), node.path("timestamp").asText()));
            } catch (IOException corrupt) {
                LOG.log(Level.WARNING, "Skipping unreadable notification entry in {0}", KEY);
            }
        }
        return notifications;
    }

    /** The newest notifications in wire form, for the {@code init} event of {@code /events/system}. */
    List<Object> recentWireForm(int limit) {
        return recent(limit).stream().<Object>map(Notification::wireForm).toList();
    }
}
