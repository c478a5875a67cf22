package io.hermes.realtime.accounts;

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
 * {@code POST /auth/change-password {currentPassword, newPassword}} (or snake_case): the signed-in user's
 * new password. Every other session of the user ends, so a stolen session does not outlive the change.
 */
final class PasswordChangeServlet extends ApiServlet {
    private final transient SignIns signIns;
    private final transient UserStore users;
    private final transient SessionStore sessions;
    private final transient Passwords passwords;

    PasswordChangeServlet(Json json, BodyReader bodies, SignIns signIns, UserStore users, SessionStore sessions,
            Passwords passwords) {
        super(json, bodies);
        this.signIns = signIns;
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        User user = signIns.currentUser(request);
        String session = signIns.sessionOf(request);
        RequestBody body = RequestBody.read(json, request);
        String current = body.string(body.node("current_password") != null ? "current_password" : "currentPassword",
                1, 1024);
        String replacement = body.string(body.node("new_password") != null ? "new_password" : "newPassword", 8, 128);
        if (!passwords.verify(current, user.passwordHash())) {
            throw new ApiException(401, "Current password is incorrect");
        }
        if (passwords.verify(replacement, user.passwordHash())) {
            throw new ApiException(400, "New password must be different from current password");
        }
        users.setPasswordHash(user, passwords.hash(replacement));
        sessions.endAllOfBut(user.id(), session);
        respond(response, 200, Map.of("message", "Password changed successfully"));
    }
}
