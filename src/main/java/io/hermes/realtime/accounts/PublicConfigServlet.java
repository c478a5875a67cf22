package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** {@code GET /config/public}, without authentication: whether the sign-in page may offer signup. */
final class PublicConfigServlet extends ApiServlet {
    private final transient UserStore users;

    PublicConfigServlet(Json json, UserStore users) {
        super(json);
        this.users = users;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // While no account exists, the first signup makes the admin, so it is open whatever the switch says.
        respond(response, 200, Map.of("allowPublicSignup", !users.anyExists() || users.publicSignup()));
    }
}
