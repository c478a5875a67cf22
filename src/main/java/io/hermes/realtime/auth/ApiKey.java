package io.hermes.realtime.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An API key as stored (without the key itself, of which only a hash is kept). */
record ApiKey(String id, String name, List<String> permissions, String owner, boolean active,
        String createdAt, String lastUsed, String expiresAt) {

    Caller caller() {
        return new Caller(owner, java.util.Set.copyOf(permissions), credential());
    }

    /** This key as a credential: what its streams and tokens remember, and what revoking it announces. */
    String credential() {
        return Credentials.ofApiKey(id);
    }

    /** The REST form of contract section 2, camelCase, optional fields present as null. */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", name);
        view.put("permissions", permissions);
        view.put("owner", owner);
        view.put("rateLimit", null);
        view.put("isActive", active);
        view.put("createdAt", createdAt);
        view.put("lastUsed", lastUsed);
        view.put("expiresAt", expiresAt);
        return view;
    }
}
