package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** {@code POST /auth/logout}: ends the session of the access token used, and the streams opened with it. */
final class LogoutServlet extends ApiServlet {
    private final transient SignIns signIns;
    private final transient SessionStore sessions;

    LogoutServlet(Json json, BodyReader bodies, SignIns signIns, SessionStore sessions) {
        super(json, bodies);
        this.signIns = signIns;
        this.sessions = sessions;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        sessions.end(signIns.sessionOf(request));
        respond(response, 200, Map.of("message", "Successfully logged out"));
    }
}
