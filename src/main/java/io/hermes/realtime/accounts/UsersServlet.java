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
import java.util.function.Consumer;

/**
 * Accounts for admins: {@code GET /users} (newest first), {@code POST /users {username, email, password,
 * isAdmin?}}, {@code PATCH /users/{id}/admin {isAdmin}}, {@code PATCH /users/{id}/active {isActive}},
 * {@code DELETE /users/{id}}. An admin cannot demote, disable or delete itself, nor anyone the last admin.
 * Disabling or deleting a user ends its sessions and revokes the keys it owns, and with them their streams;
 * enabling it again restores neither (it signs in again and makes new keys).
 */
final class UsersServlet extends ApiServlet {
    private final transient Authenticator authenticator;
    private final transient UserStore users;
    private final transient SessionStore sessions;
    private final transient Passwords passwords;
    private final transient Consumer<String> revokeKeysOf;

    UsersServlet(Json json, BodyReader bodies, Authenticator authenticator, UserStore users, SessionStore sessions,
            Passwords passwords, Consumer<String> revokeKeysOf) {
        super(json, bodies);
        this.authenticator = authenticator;
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.revokeKeysOf = revokeKeysOf;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "admin");
        if (segments(request).length != 0) {
            throw ApiException.notFound("Not Found");
        }
        respond(response, 200, users.list().stream().map(user -> user.view(json)).toList());
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "admin");
        if (segments(request).length != 0) {
            throw ApiException.notFound("Not Found");
        }
        RequestBody body = RequestBody.read(json, request);
        String username = SignupServlet.username(body);
        String email = SignupServlet.email(body, "email");
        String password = SignupServlet.password(body);
        boolean admin = body.bool(body.node("is_admin") != null ? "is_admin" : "isAdmin", false);
        respond(response, 200, users.create(username, email, passwords.hash(password), admin).view(json));
    }

    @Override
    protected void patch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "admin");
        String[] path = segments(request);
        if (path.length != 2 || !(path[1].equals("admin") || path[1].equals("active"))) {
            throw ApiException.notFound("Not Found");
        }
        User user = users.findById(path[0]).orElseThrow(() -> ApiException.notFound("User not found"));
        RequestBody body = RequestBody.read(json, request);
        boolean value = required(body, path[1].equals("admin") ? "isAdmin" : "isActive",
                path[1].equals("admin") ? "is_admin" : "is_active");
        if (path[1].equals("admin")) {
            if (user.admin() && !value) {
                refuseForSelf(caller, user, "Cannot remove your own admin rights");
                refuseForLastAdmin("Cannot demote the last admin. Promote another user to admin first.");
            }
            user = users.setFlag(user, "is_admin", value);
        } else {
            if (!value) {
                refuseForSelf(caller, user, "Cannot deactivate your own account");
            }
            user = users.setFlag(user, "is_active", value);
            if (!value) {
                sessions.endAllOf(user.id());
                revokeKeysOf.accept(user.id());
            }
        }
        respond(response, 200, user.view(json));
    }

    @Override
    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "admin");
        String[] path = segments(request);
        if (path.length != 1) {
            throw ApiException.notFound("Not Found");
        }
        User user = users.findById(path[0]).orElseThrow(() -> ApiException.notFound("User not found"));
        refuseForSelf(caller, user, "Cannot delete your own account");
        if (user.admin()) {
            refuseForLastAdmin("Cannot delete the last admin. Promote another user to admin first.");
        }
        users.delete(user);
        sessions.endAllOf(user.id());
        revokeKeysOf.accept(user.id());
        respond(response, 200, Map.of("message", "User deleted successfully"));
    }

    private static void refuseForSelf(Caller caller, User user, String message) {
        if (caller.owner().equals(user.id())) {
            throw new ApiException(400, message);
        }
    }

    private void refuseForLastAdmin(String message) {
        if (users.adminCount() <= 1) {
            throw new ApiException(400, message);
        }
    }

    /** A required boolean named in camelCase or snake_case. */
    private static boolean required(RequestBody body, String camel, String snake) {
        String name = body.node(snake) != null ? snake : camel;
        if (body.node(name) == null || body.node(name).isNull()) {
            throw ApiException.invalid("Field '" + camel + "' is required");
        }
        return body.bool(name, false);
    }

    /** The path after {@code /users}, split on slashes, empty segments dropped. */
    private static String[] segments(HttpServletRequest request) {
        String path = request.getPathInfo();
        String trimmed = path == null ? "" : path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }
}
