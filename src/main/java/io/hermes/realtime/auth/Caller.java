package io.hermes.realtime.auth;

import java.util.Set;

/**
 * Who is making a request: the owner their key belongs to and what it may do.
 *
 * @param owner       the owner downloads are filed under
 * @param permissions {@code read}, {@code write}, {@code download}, {@code admin}
 */
public record Caller(String owner, Set<String> permissions) {
    public Caller {
        permissions = Set.copyOf(permissions);
    }

    public boolean isAdmin() {
        return permissions.contains("admin");
    }

    public boolean may(String permission) {
        return isAdmin() || permissions.contains(permission);
    }
}
