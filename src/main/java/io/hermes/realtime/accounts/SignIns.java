package io.hermes.realtime.accounts;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sign-in servlets share: opening a session for a user and answering with its tokens, and finding
 * the signed-in user behind a request (whose credential must be a session, not an API key).
 */
final class SignIns {
    private final UserStore users;
    private final SessionStore sessions;
    private final Authenticator authenticator;
    private final Json json;

    SignIns(UserStore users, SessionStore sessions, Authenticator authenticator, Json json) {
        this.users = users;
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.json = json;
    }

    /** Opens a session for {@code user} and returns upstream's AuthResponse: the tokens and the user. */
    Map<String, Object> openSession(User user) {
        users.recordLogin(user.id());
        SessionStore.Tokens tokens = sessions.open(user.id());
        Map<String, Object> body = tokenBody(tokens);
        body.put("user", users.findById(user.id()).orElse(user).view(json));
        return body;
    }

    static Map<String, Object> tokenBody(SessionStore.Tokens tokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessToken", tokens.accessToken());
        body.put("refreshToken", tokens.refreshToken());
        body.put("tokenType", "bearer");
        return body;
    }

    /** The session id behind the request; 401 when it was made with an API key or nothing. */
    String sessionOf(HttpServletRequest request) {
        return signedIn(request).credential().substring(SessionStore.CREDENTIAL.length());
    }

    /** The signed-in user behind the request (401 when there is none, or it is gone or disabled). */
    User currentUser(HttpServletRequest request) {
        return users.findById(signedIn(request).owner()).filter(User::active)
                .orElseThrow(() -> new ApiException(401, "User not found or inactive"));
    }

    private Caller signedIn(HttpServletRequest request) {
        Caller caller = authenticator.authenticate(request, "read");
        String credential = caller.credential();
        if (credential == null || !credential.startsWith(SessionStore.CREDENTIAL)) {
            throw new ApiException(401, "Not signed in: send the access token of a sign-in as Bearer",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
        return caller;
    }
}
