package io.hermes.realtime.notifications;

import java.util.LinkedHashMap;
import java.util.Map;

/** One entry of the notification feed, as the REST API shows it (camelCase). */
record Notification(String id, String notificationType, String message, String timestamp) {

    /** The snake_case form used in Redis and in SSE {@code data}. */
    Map<String, Object> wireForm() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("notification_type", notificationType);
        data.put("message", message);
        data.put("timestamp", timestamp);
        return data;
    }

    /** The form NotifyHub's page and tool read (contract section 9): no type. */
    Map<String, Object> feedForm() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("message", message);
        data.put("timestamp", timestamp);
        return data;
    }
}
