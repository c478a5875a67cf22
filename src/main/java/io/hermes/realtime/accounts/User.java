package io.hermes.realtime.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An account as stored in {@code hermes:user:{id}}. {@code preferences} is the JSON text the user sent, or
 * {@code null}; {@code passwordHash} never leaves the server.
 */
record User(String id, String username, String email, String avatar, String preferences, boolean admin,
        boolean active, String createdAt, String lastLogin, String passwordHash) {

    /** A signed-in user may read, submit and download; an admin also administers. */
    Set<String> permissions() {
        return admin ? Set.of("read", "write", "download", "admin") : Set.of("read", "write", "download");
    }

    /** The contract's User object (camelCase, every field present). */
    Map<String, Object> view(Json json) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("username", username);
        view.put("email", email);
        view.put("avatar", avatar);
        view.put("isActive", active);
        view.put("isAdmin", admin);
        view.put("preferences", preferencesTree(json));
        view.put("createdAt", createdAt);
        view.put("lastLogin", lastLogin);
        return view;
    }

    private JsonNode preferencesTree(Json json) {
        if (preferences == null) {
            return null;
        }
        try {
            return json.mapper().readTree(preferences);
        } catch (IOException corrupt) {
            return null;
        }
    }

    static User read(Map<String, String> fields) {
        return new User(fields.get("id"), fields.get("username"), fields.get("email"), fields.get("avatar"),
                fields.get("preferences"), "1".equals(fields.get("is_admin")), "1".equals(fields.get("is_active")),
                fields.get("created_at"), fields.get("last_login"), fields.get("password"));
    }
}
