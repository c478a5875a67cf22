package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /auth/refresh {refreshToken}} (or {@code refresh_token}): new access and refresh tokens; the
 * refresh token shown stops working. Showing one that was already rotated ends the whole session.
 */
final class RefreshServlet extends ApiServlet {
    private final transient SessionStore sessions;
    private final transient UserStore users;

    RefreshServlet(Json json, BodyReader bodies, SessionStore sessions, UserStore users) {
        super(json, bodies);
        this.sessions = sessions;
        this.users = users;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestBody body = RequestBody.read(json, request);
        String name = body.node("refresh_token") != null ? "refresh_token" : "refreshToken";
        String token = body.string(name, 0, 200, null);
        if (token == null || token.isEmpty()) {
            throw new ApiException(401, "Refresh token required");
        }
        SessionStore.Refreshed refreshed = sessions.refresh(token);
        if (refreshed instanceof SessionStore.Rotated rotated) {
            if (users.findById(rotated.tokens().userId()).filter(User::active).isEmpty()) {
                sessions.end(rotated.tokens().sessionId());
                throw new ApiException(401, "User not found or inactive");
            }
            respond(response, 200, SignIns.tokenBody(rotated.tokens()));
        } else if (refreshed instanceof SessionStore.Reused) {
            throw new ApiException(401, "Refresh token was already used; the session is ended, sign in again");
        } else {
            throw new ApiException(401, "Invalid refresh token");
        }
    }
}
