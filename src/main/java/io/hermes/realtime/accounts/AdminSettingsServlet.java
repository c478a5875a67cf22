package io.hermes.realtime.accounts;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /admin/settings} and {@code PUT /admin/settings/signup {enabled}} (admin): the public-signup
 * switch, stored in Redis, where it overrides {@code HERMES_ALLOW_PUBLIC_SIGNUP} once set; the answer also says
 * when and by whom it was last turned ({@code updatedAt}, {@code updatedByUserId}, as upstream).
 */
final class AdminSettingsServlet extends ApiServlet {
    private static final System.Logger LOG = System.getLogger(AdminSettingsServlet.class.getName());
    private final transient Authenticator authenticator;
    private final transient UserStore users;

    AdminSettingsServlet(Json json, BodyReader bodies, Authenticator authenticator, UserStore users) {
        super(json, bodies);
        this.authenticator = authenticator;
        this.users = users;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "admin");
        if (!sub(request).isEmpty()) {
            throw ApiException.notFound("Not Found");
        }
        respond(response, 200, users.settingsView());
    }

    @Override
    protected void put(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller admin = authenticator.authenticate(request, "admin");
        if (!sub(request).equals("signup")) {
            throw ApiException.notFound("Not Found");
        }
        RequestBody body = RequestBody.read(json, request);
        if (body.node("enabled") == null) {
            throw ApiException.invalid("Field 'enabled' is required");
        }
        boolean enabled = body.bool("enabled", false);
        users.setPublicSignup(enabled, admin.owner());
        LOG.log(System.Logger.Level.INFO, "Public signup turned {0} by {1}", enabled ? "on" : "off", admin.owner());
        respond(response, 200, users.settingsView());
    }

    /** What follows {@code /admin/settings}, without slashes: empty, or {@code signup}. */
    private static String sub(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path.replaceAll("^/+|/+$", "");
    }
}
