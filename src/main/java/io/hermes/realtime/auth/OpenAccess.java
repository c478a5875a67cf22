package io.hermes.realtime.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/** Admits everyone as an administrator. The placeholder until API keys and SSE tokens exist. */
public final class OpenAccess implements Authenticator {
    private static final Caller EVERYONE = new Caller("admin", Set.of("admin"));

    @Override
    public Caller authenticate(HttpServletRequest request, String permission) {
        return EVERYONE;
    }

    @Override
    public Caller authenticateStream(HttpServletRequest request, String scope) {
        return EVERYONE;
    }
}
