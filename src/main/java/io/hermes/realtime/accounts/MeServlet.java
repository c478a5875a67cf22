package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /auth/me}: the signed-in user. */
final class MeServlet extends ApiServlet {
    private final transient SignIns signIns;

    MeServlet(Json json, SignIns signIns) {
        super(json);
        this.signIns = signIns;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        respond(response, 200, signIns.currentUser(request).view(json));
    }
}
